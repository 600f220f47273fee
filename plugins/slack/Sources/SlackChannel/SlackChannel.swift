import EscalationChannel
import EscalationCore
import Foundation

/// Posts messages to Slack through an incoming webhook or the Web API's chat.postMessage (`plugin: slack`).
public struct SlackChannel: NotificationChannel {
    /// What the Slack plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "slack",
        summary: "posts to Slack (incoming webhook or chat.postMessage), mentioning the recipient; updates reply in the thread",
        capabilities: [.threading, .cc, .posts],
        settings: [
            .init("webhook_url", secret: true, "an incoming-webhook URL (posts to the webhook's channel); or use token"),
            .init("token", secret: true, "a bot token (xoxb-…) for chat.postMessage; or use webhook_url"),
            .init("channel", "with token: the channel id or #name to post in (default: the address when it is a channel or user)"),
            .init("api_url", kind: .url, "the Web API base URL (default https://slack.com/api)"),
            .init("timeout", kind: .duration, "how long one request may take, e.g. 10s (default 10s)"),
        ],
        validExamples: [
            "webhook_url: ${env:SLACK_WEBHOOK_URL}",
            """
            token: ${env:SLACK_BOT_TOKEN}
            channel: C0123456789
            """,
            """
            token: ${env:SLACK_BOT_TOKEN}
            channel: "#ops-alerts"
            api_url: https://slack.example.org/api
            timeout: 5s
            """,
        ],
        invalidExamples: [
            "channel: C0123456789",
            // A channel that is a list (at send time Slack refused it without retry).
            """
            token: ${env:SLACK_BOT_TOKEN}
            channel: [1, 2, 3]
            """,
            "webhook_url: https://hooks.slack.com/services/T000/B000/XXXX",
            """
            webhook_url: ${env:SLACK_WEBHOOK_URL}
            token: ${env:SLACK_BOT_TOKEN}
            """,
            """
            webhook_url: ${env:SLACK_WEBHOOK_URL}
            channel: C0123456789
            """,
            """
            token: ${env:SLACK_BOT_TOKEN}
            api_url: slack.com/api
            """,
            """
            token: ${env:SLACK_BOT_TOKEN}
            channel: ops alerts
            """,
        ])

    /// Checks that exactly one of webhook_url and token is set, and the URL, channel and timeout.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor) + settings.checkURL("api_url") + settings.checkDuration("timeout")
        let hasWebhook = settings.raw("webhook_url") != nil
        let hasToken = settings.raw("token") != nil
        if hasWebhook == hasToken {
            problems.append(
                settings.problem(
                    hasWebhook ? "token" : "webhook_url",
                    hasWebhook
                        ? "set either 'webhook_url' or 'token', not both"
                        : "the slack plugin needs 'webhook_url' (an incoming webhook) or 'token' (chat.postMessage)",
                    hint: "write 'webhook_url: ${env:SLACK_WEBHOOK_URL}' or 'token: ${env:SLACK_BOT_TOKEN}'"))
        }
        if hasWebhook {
            for key in ["channel", "api_url"] where settings.raw(key) != nil {
                problems.append(
                    settings.problem(key, "'\(key)' is used with 'token' only; an incoming webhook always posts to its own channel"))
            }
        }
        if let channel = settings.raw("channel"), SlackAddress(channel).channel == nil {
            problems.append(
                settings.problem("channel", "'\(channel)' is not a Slack channel id (C0123…) or #name", hint: "write e.g. 'channel: \"#ops\"'"))
        }
        return problems
    }

    private enum Mode {
        case webhook(url: String)
        case api(base: String, token: String, channel: String?)
    }

    private let mode: Mode
    private let exchange: HTTPExchange

    /// Resolves the webhook URL or token; fails when a reference is unset or both or neither are set.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let timeout = try settings.timeout()
        if settings.raw("webhook_url") != nil, settings.raw("token") != nil {
            throw ChannelSetupError("\(settings.channel): set either webhook_url or token, not both")
        }
        if settings.raw("webhook_url") != nil {
            let url = try settings.url("webhook_url", in: environment)
            mode = .webhook(url: url)
            exchange = HTTPExchange(service: "Slack", timeout: timeout, secrets: HTTPExchange.secretParts(ofURL: url))
        } else if settings.raw("token") != nil {
            let token = try settings.required("token", in: environment)
            let base = try settings.url("api_url", default: "https://slack.com/api", in: environment)
            mode = .api(base: base, token: token, channel: settings.raw("channel").flatMap { SlackAddress($0).channel })
            exchange = HTTPExchange(service: "Slack", timeout: timeout, secrets: [token])
        } else {
            throw ChannelSetupError("\(settings.channel): the slack plugin needs webhook_url or token")
        }
    }

    /// Posts the message, mentioning the address (a user id becomes `<@U…>`, @here/@channel a broadcast);
    /// with a token, an address that is a channel is where it is posted.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        await post(message, to: address.map { SlackAddress($0) }, thread: nil)
    }

    /// With a token, replies in the thread of the message in the receipt; otherwise posts a new message.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        guard case .api = mode, let thread = receipt.externalID.flatMap({ SlackThread($0) }) else {
            return await post(message, to: nil, thread: nil)
        }
        return await post(message, to: nil, thread: thread)
    }

    private func post(_ message: ChannelMessage, to address: SlackAddress?, thread: SlackThread?) async -> DeliveryResult {
        var lines: [String] = []
        let mention = address?.mention
        if let subject = message.subject, !subject.isEmpty {
            lines.append([mention, "*\(Self.escape(subject))*"].compactMap { $0 }.joined(separator: " "))
            lines.append(Self.escape(message.body))
        } else {
            lines.append([mention, Self.escape(message.body)].compactMap { $0 }.joined(separator: " "))
        }
        let copies = message.cc.map { SlackAddress($0).mention ?? Self.escape($0) }
        if !copies.isEmpty { lines.append("cc: " + copies.joined(separator: " ")) }
        let text = lines.joined(separator: "\n")

        switch mode {
        case .webhook(let url):
            let body = Self.json(["text": text])
            switch await exchange.send(.POST, url, headers: [("Content-Type", "application/json")], body: body) {
            case .success: return .delivered(DeliveryReceipt(externalID: nil))
            case .failure(let failure): return .failed(failure)
            }
        case .api(let base, let token, let defaultChannel):
            guard let channel = thread?.channel ?? address?.channel ?? defaultChannel ?? address?.user else {
                return .failed(
                    exchange.failure(retryable: false, "no Slack channel to post in: set 'channel' or give a channel or user address"))
            }
            var fields = ["channel": channel, "text": text, "unfurl_links": false] as [String: any Sendable]
            if let thread { fields["thread_ts"] = thread.ts }
            let headers = [("Content-Type", "application/json; charset=utf-8"), ("Authorization", "Bearer \(token)")]
            switch await exchange.send(.POST, "\(base)/chat.postMessage", headers: headers, body: Self.json(fields)) {
            case .failure(let failure): return .failed(failure)
            case .success(let response):
                guard response.flag("ok") == true else {
                    let error = response.field("error") ?? "no 'ok' in the answer"
                    let retryable = ["ratelimited", "service_unavailable", "fatal_error", "internal_error", "request_timeout"].contains(error)
                    return .failed(exchange.failure(retryable: retryable, "Slack refused the message: \(error)"))
                }
                let posted = response.field("channel") ?? channel
                return .delivered(DeliveryReceipt(externalID: response.field("ts").map { SlackThread(channel: posted, ts: $0).id }))
            }
        }
    }

    /// Escapes `&`, `<` and `>` as Slack's message formatting requires.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func json(_ fields: [String: any Sendable]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}
