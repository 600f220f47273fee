import EscalationChannel
import EscalationCore

/// A vendor-free mail plugin for the core's tests (capability `mail`): a message is `FROM|TEXT|REFERENCE-OR-EMPTY`,
/// and its reference counts only when it starts with the channel's `prefix` setting (its "domain"). It delivers nothing.
struct StubMailChannel: InboundChannel {
    static let descriptor = ChannelDescriptor(
        id: "stub-mail", summary: "takes mail for tests", capabilities: [.mail], settings: [.init("prefix", required: true, "the references it wrote")])
    static let inboundSecretSetting = "prefix"

    let prefix: String

    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        prefix = try settings.resolved("prefix", in: environment) ?? ""
    }

    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        .delivered(DeliveryReceipt(externalID: nil))
    }

    func receive(_ request: InboundRequest) -> InboundOutcome {
        guard request.method == "SMTP" else { return .refused(status: 403, reason: "mail only") }
        let parts = request.text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return .refused(status: 400, reason: "not FROM|TEXT|REFERENCE") }
        let reference = parts[2].hasPrefix(prefix) ? String(parts[2].dropFirst(prefix.count)) : nil
        return .reply(InboundReply(from: parts[0], text: parts[1], reference: reference, via: "stub mail"))
    }
}
