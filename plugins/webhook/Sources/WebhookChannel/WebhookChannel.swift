import Crypto
import EscalationChannel
import EscalationCore
import Foundation

/// Delivers messages as signed JSON POSTs to a URL (`plugin: webhook`).
public struct WebhookChannel: NotificationChannel {
    /// What the webhook plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "webhook",
        summary: "POSTs each message as JSON to a URL, signed with HMAC-SHA256 when a secret is set",
        capabilities: [.idempotency, .cc, .update, .expiry, .undo, .posts],
        settings: [
            .init("url", required: true, kind: .url, "the http(s) URL messages are POSTed to (may be a ${env:NAME} reference)"),
            .init("secret", secret: true, "key for the X-Escalate-Signature header: sha256=<hex HMAC-SHA256 of the body>"),
            .init("timeout", kind: .duration, "how long one POST may take, e.g. 10s (default 10s, at most 10m)"),
            .init("headers", kind: .map, "extra request headers, name: value (a value may be a ${env:NAME} reference)"),
        ],
        validExamples: [
            "url: https://hooks.example.org/escalate",
            """
            url: https://hooks.example.org/escalate
            secret: ${env:WEBHOOK_SECRET}
            timeout: 5s
            headers:
              Authorization: ${env:WEBHOOK_AUTHORIZATION}
              X-Team: ops
            """,
            "url: ${env:WEBHOOK_URL}",
        ],
        invalidExamples: [
            "secret: ${env:WEBHOOK_SECRET}",
            "url: hooks.example.org/escalate",
            "url: ftp://hooks.example.org/escalate",
            """
            url: https://hooks.example.org/escalate
            secret: plain-text-secret
            """,
            """
            url: https://hooks.example.org/escalate
            timeout: 1.5h
            """,
            """
            url: https://hooks.example.org/escalate
            headers:
              X-Escalate-Signature: forged
            """,
            """
            url: https://hooks.example.org/escalate
            headers: Authorization
            """,
            """
            url: https://hooks.example.org/escalate
            retries: 3
            """,
        ])

    /// Headers the plugin sets itself.
    static let reservedHeaders = ["content-type", "content-length", "host", "idempotency-key", "x-escalate-signature"]

    /// Checks the URL, timeout and headers on top of required keys and secret references.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor) + settings.checkURL("url") + settings.checkDuration("timeout")
        problems += settings.checkTextMap("headers")
        for (name, _) in settings.textMap("headers") {
            if reservedHeaders.contains(name.lowercased()) {
                problems.append(
                    settings.problem("headers", "the header '\(name)' is set by the webhook plugin itself", hint: "remove it from headers"))
            } else if name.isEmpty || !name.unicodeScalars.allSatisfy(isTokenCharacter) {
                problems.append(settings.problem("headers", "'\(name)' is not a valid HTTP header name"))
            }
        }
        return problems
    }

    private let url: String
    private let key: SymmetricKey?
    private let headers: [(String, String)]
    private let exchange: HTTPExchange

    /// Resolves the URL, secret and header references; fails when one is unset or the URL is not http(s).
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        url = try settings.url("url", in: environment)
        let secret = try settings.resolved("secret", in: environment)
        key = secret.map { SymmetricKey(data: Data($0.utf8)) }
        var headers: [(String, String)] = []
        var secrets = [secret].compactMap { $0 }
        for (name, text) in settings.textMap("headers") {
            let value = try environment.resolve(text, setting: "\(settings.channel).headers.\(name)")
            if ChannelEnvironment.isReference(text) { secrets.append(value) }
            headers.append((name, value))
        }
        if ChannelEnvironment.isReference(settings.raw("url") ?? "") { secrets += HTTPExchange.secretParts(ofURL: url) }
        self.headers = headers
        exchange = HTTPExchange(service: "the webhook", timeout: try settings.timeout(), secrets: secrets)
    }

    /// POSTs the message with `event: deliver` and the address as `to`.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        await post(WebhookPayload(event: "deliver", message: message, to: address, receipt: nil))
    }

    /// POSTs the message with `event: update` and the earlier receipt's id.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        await post(WebhookPayload(event: "update", message: message, to: nil, receipt: receipt.externalID))
    }

    /// POSTs the message with `event: expire` and the earlier receipt's id.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        await post(WebhookPayload(event: "expire", message: message, to: nil, receipt: receipt.externalID))
    }

    /// POSTs the message with `event: undo` and the earlier receipt's id.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult {
        await post(WebhookPayload(event: "undo", message: message, to: nil, receipt: receipt?.externalID))
    }

    /// Sends one payload; the receipt carries the response's JSON `id` when there is one.
    private func post(_ payload: WebhookPayload) async -> DeliveryResult {
        let body: Data
        do {
            body = try WebhookPayload.encoder.encode(payload)
        } catch {
            return .failed(DeliveryFailure(retryable: false, reason: "could not encode the webhook payload"))
        }
        var requestHeaders = headers
        requestHeaders.append(("Content-Type", "application/json"))
        requestHeaders.append(("Idempotency-Key", payload.idempotencyKey))
        if let signature = Self.signature(of: body, key: key) { requestHeaders.append(("X-Escalate-Signature", signature)) }
        switch await exchange.send(.POST, url, headers: requestHeaders, body: Array(body)) {
        case .success(let response): return .delivered(DeliveryReceipt(externalID: response.field("id")))
        case .failure(let failure): return .failed(failure)
        }
    }

    /// `sha256=<hex HMAC-SHA256 of body>`, or nil without a key.
    static func signature(of body: Data, key: SymmetricKey?) -> String? {
        guard let key else { return nil }
        let code = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// RFC 9110 token characters (header names).
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
    }
}
