import EscalationChannel
import EscalationCore

/// Sends text messages through a Twilio-style REST API (`plugin: sms`), and takes replies on its inbound webhook.
public struct SMSChannel: InboundChannel {
    /// What the SMS plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "sms",
        summary: "sends an SMS (subject and body, at most 1600 characters) through a Twilio-style Messages API; takes replies (4a, 4r)",
        capabilities: [],
        settings: TwilioStyleAPI.settings,
        validExamples: [
            """
            account: ${env:SMS_ACCOUNT}
            auth_token: ${env:SMS_AUTH_TOKEN}
            from: "+1-555-0100"
            """,
            """
            api_url: https://sms.example.org/2010-04-01
            account: AC0123456789abcdef
            auth_token: ${env:SMS_AUTH_TOKEN}
            from: "+15550100"
            timeout: 15s
            """,
        ],
        invalidExamples: [
            """
            account: ${env:SMS_ACCOUNT}
            from: "+15550100"
            """,
            """
            account: ${env:SMS_ACCOUNT}
            auth_token: hunter2
            from: "+15550100"
            """,
            """
            account: ${env:SMS_ACCOUNT}
            auth_token: ${env:SMS_AUTH_TOKEN}
            from: 555-0100
            """,
            """
            account: ${env:SMS_ACCOUNT}
            auth_token: ${env:SMS_AUTH_TOKEN}
            from: "+15550100"
            api_url: not a url
            """,
        ])

    /// The longest message body sent; longer text is cut with an ellipsis.
    static let maximumLength = 1_600

    /// Checks required keys, the token reference, the sender number, URL and timeout.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] { TwilioStyleAPI.validate(settings, descriptor) }

    private let api: TwilioStyleAPI

    /// Resolves the account and token; fails when a reference is unset.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        api = try TwilioStyleAPI(settings: settings, environment: environment, service: "the SMS API")
    }

    /// Sends `To`, `From` and `Body` (subject on the first line) to `Messages.json`; the receipt is the message sid.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        guard let to = address.flatMap(TwilioStyleAPI.phoneNumber) else { return api.notAPhoneNumber(address) }
        var text = [message.subject, message.body].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
        if text.count > Self.maximumLength { text = String(text.prefix(Self.maximumLength - 1)) + "…" }
        return await api.create("Messages.json", [("To", to), ("From", api.from), ("Body", text)], idempotencyKey: message.idempotencyKey)
    }

    /// The auth token also verifies the provider's webhooks.
    public static let inboundSecretSetting = "auth_token"

    /// An incoming SMS webhook: checks `X-Twilio-Signature`, then reads `From` and `Body`.
    public func receive(_ request: InboundRequest) -> InboundOutcome {
        if let refusal = api.verify(request) { return refusal }
        guard let from = request.formValue("From"), !from.isEmpty else { return .refused(status: 400, reason: "the webhook has no From") }
        // Kept with the incident: the provider's form as sent (its signature is a header, which is not kept).
        let raw = request.form.prefix(40).map { "\($0.name)=\($0.value.prefix(1_600))" }.joined(separator: "\n")
        return .reply(InboundReply(from: from, text: request.formValue("Body") ?? "", via: "sms reply", raw: raw))
    }

    /// A TwiML `<Message>` back to the sender.
    public func respond(_ text: String?) -> InboundResponse { TwilioStyleAPI.messageResponse(text) }
}
