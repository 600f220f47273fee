import EscalationChannel
import EscalationCore

/// A vendor-free inbound plugin for the core's tests: a request is genuine when its `X-Stub-Secret` header equals the
/// channel's `secret` setting; the body is `FROM|TEXT` or `FROM|TEXT|REFERENCE`, or `DELIVERY|RECEIPT|answered` (or
/// `unanswered`) `|INCIDENT` for a call's status. It delivers nothing, with the receipt `call-KEY`.
struct StubInboundChannel: InboundChannel {
    static let descriptor = ChannelDescriptor(
        id: "stub-inbound", summary: "takes answers for tests", capabilities: [.answers], settings: [.init("secret", required: true, secret: true, "the shared secret")])
    static let inboundSecretSetting = "secret"

    let secret: String

    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        secret = try settings.resolved("secret", in: environment) ?? ""
    }

    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        .delivered(DeliveryReceipt(externalID: "call-\(message.idempotencyKey)"))
    }

    func receive(_ request: InboundRequest) -> InboundOutcome {
        guard request.header("X-Stub-Secret") == secret else { return .refused(status: 403, reason: "bad secret") }
        let parts = request.text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return .refused(status: 400, reason: "not FROM|TEXT") }
        if parts[0] == "DELIVERY", parts.count == 4, let answer = DeliveryAnswer(rawValue: parts[2]) {
            return .delivery(reference: parts[3], externalID: parts[1], answer: answer)
        }
        return .reply(InboundReply(from: parts[0], text: parts[1], reference: parts.count > 2 ? parts[2] : nil, via: "stub reply"))
    }

    func respond(_ text: String?) -> InboundResponse { InboundResponse(body: "ANSWER: \(text ?? "")") }
}
