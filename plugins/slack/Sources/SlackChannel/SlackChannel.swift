import Crypto
import EscalationChannel
import EscalationCore
import Foundation

/// Posts messages to Slack through an incoming webhook or the Web API's chat.postMessage (`plugin: slack`).
public struct SlackChannel: InboundChannel {
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
            .init("signing_secret", secret: true, "the app's signing secret: messages get Acknowledge/Resolve buttons, and their presses are verified"),
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
    private let signingSecret: String?

    /// Resolves the webhook URL or token; fails when a reference is unset or both or neither are set.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let timeout = try settings.timeout()
        signingSecret = try settings.resolved("signing_secret", in: environment)
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
            if signingSecret != nil, thread == nil { fields["blocks"] = Self.blocks(text: text, incident: message.incidentID) }
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

    /// The message as a section and Acknowledge / Resolve buttons (action ids `ack` and `resolve`, value the incident).
    static func blocks(text: String, incident: String) -> [[String: any Sendable]] {
        [
            ["type": "section", "text": ["type": "mrkdwn", "text": text]],
            [
                "type": "actions", "block_id": "escalate",
                "elements": [button("Acknowledge", "ack", incident: incident, style: "primary"), button("Resolve", "resolve", incident: incident, style: nil)],
            ],
        ]
    }

    /// A button whose press comes back as `action_id` with the incident as its value.
    static func button(_ label: String, _ id: String, incident: String, style: String?) -> [String: any Sendable] {
        var button: [String: any Sendable] = ["type": "button", "action_id": id, "value": incident, "text": ["type": "plain_text", "text": label]]
        if let style { button["style"] = style }
        return button
    }

    /// Escapes `&`, `<` and `>` as Slack's message formatting requires.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func json(_ fields: [String: any Sendable]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8))
    }

    /// The signing secret verifies button presses.
    public static let inboundSecretSetting = "signing_secret"

    /// How old a request's timestamp may be, in seconds, either way (Slack's replay window).
    static let replayWindow: Int64 = 300

    /// A button press (`payload` of `block_actions`): checks `X-Slack-Signature` (`v0=` hex HMAC-SHA256 of
    /// `v0:TIMESTAMP:BODY` with the signing secret) and that `X-Slack-Request-Timestamp` is within five minutes.
    public func receive(_ request: InboundRequest) -> InboundOutcome {
        guard let signingSecret else { return .refused(status: 403, reason: "the channel has no signing_secret to verify requests with") }
        guard let stamp = request.header("X-Slack-Request-Timestamp"), let seconds = Int64(stamp) else {
            return .refused(status: 403, reason: "no X-Slack-Request-Timestamp header")
        }
        guard abs(request.receivedAt.seconds - seconds) <= Self.replayWindow else {
            return .refused(status: 403, reason: "the request's timestamp is more than five minutes off (a replay?)")
        }
        guard let given = request.header("X-Slack-Signature") else { return .refused(status: 403, reason: "no X-Slack-Signature header") }
        let base = Array("v0:\(stamp):".utf8) + request.body
        let code = HMAC<SHA256>.authenticationCode(for: base, using: SymmetricKey(data: Data(signingSecret.utf8)))
        let expected = Array(("v0=" + code.map { String(format: "%02x", $0) }.joined()).utf8)
        let got = Array(given.utf8)
        guard expected.count == got.count, zip(expected, got).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return .refused(status: 403, reason: "the X-Slack-Signature does not match the request")
        }
        guard let payload = request.formValue("payload"), let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
            return .refused(status: 400, reason: "no interaction payload")
        }
        guard object["type"] as? String == "block_actions", let user = (object["user"] as? [String: Any])?["id"] as? String,
            let action = (object["actions"] as? [[String: Any]])?.first, let id = action["action_id"] as? String
        else { return .answered(InboundResponse(body: "")) }
        let text = id == "resolve" ? "resolve" : id == "ack" ? "ack" : id
        // Where the pressed message is, so `followUp` can edit it in place.
        let container = object["container"] as? [String: Any]
        let message = object["message"] as? [String: Any]
        var context: [String: String] = [:]
        context["channel"] = container?["channel_id"] as? String ?? (object["channel"] as? [String: Any])?["id"] as? String
        context["ts"] = container?["message_ts"] as? String ?? message?["ts"] as? String
        context["text"] = (message?["text"] as? String).map { String($0.prefix(3_000)) }
        // Kept with the incident: who pressed what on which message; not the payload's verification token or response_url.
        let raw = "user=\(user)\naction=\(id.prefix(40))\nvalue=\((action["value"] as? String ?? "").prefix(200))\nchannel=\(context["channel"] ?? "")\nts=\(context["ts"] ?? "")"
        return .reply(InboundReply(from: user, text: text, reference: action["value"] as? String, via: "slack button", context: context, raw: raw))
    }

    /// After a press that acted, edits the pressed message in place (chat.update, with a token): its text stays, a line
    /// says who did what, and the buttons left are those that still apply (Resolve after an acknowledgement, none after
    /// a resolve). A press that did not act leaves the message as it is and tells only the presser why (chat.postEphemeral).
    public func followUp(_ reply: InboundReply, result: InboundResult) async {
        guard case .api(let base, let token, _) = mode, let channel = reply.context["channel"], let ts = reply.context["ts"],
            let incident = reply.reference
        else { return }
        let headers = [("Content-Type", "application/json; charset=utf-8"), ("Authorization", "Bearer \(token)")]
        guard result.acted else {
            // Only the presser sees why nothing changed (chat.postEphemeral); the message stays as it is.
            let fields: [String: any Sendable] = ["channel": channel, "user": reply.from, "text": Self.escape(result.text)]
            _ = await exchange.send(.POST, "\(base)/chat.postEphemeral", headers: headers, body: Self.json(fields))
            return
        }
        let done = (result.action ?? "answered").prefix(1).uppercased() + (result.action ?? "answered").dropFirst()
        let line = ":white_check_mark: \(Self.escape(done)) by \(Self.escape(result.by ?? reply.from)) (via Slack)"
        let original = reply.context["text"] ?? ""
        var blocks: [[String: any Sendable]] = []
        if !original.isEmpty { blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": original]]) }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": line]]])
        if result.status == "acknowledged" {
            blocks.append(["type": "actions", "block_id": "escalate", "elements": [Self.button("Resolve", "resolve", incident: incident, style: nil)]])
        }
        let fields: [String: any Sendable] = ["channel": channel, "ts": ts, "text": original.isEmpty ? line : "\(original)\n\(line)", "blocks": blocks]
        _ = await exchange.send(.POST, "\(base)/chat.update", headers: headers, body: Self.json(fields))
    }

    /// Slack shows nothing from the response to a button press; the text is kept for logs and tests.
    public func respond(_ text: String?) -> InboundResponse { InboundResponse(body: text ?? "") }
}
