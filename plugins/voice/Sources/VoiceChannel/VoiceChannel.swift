import EscalationChannel
import EscalationCore
import Foundation

/// Places phone calls that read the message aloud through a Twilio-style REST API (`plugin: voice`).
public struct VoiceChannel: InboundChannel {
    /// What the voice plugin is and which settings it reads.
    public static let descriptor = ChannelDescriptor(
        id: "voice",
        summary: "calls the address and reads the subject and body aloud (TwiML <Say>) through a Twilio-style Calls API",
        capabilities: [.answers],
        settings: TwilioStyleAPI.settings + [
            .init("voice", "the text-to-speech voice, e.g. alice or Polly.Joanna (default: the service's)"),
            .init("loop", "how many times the message is read, 1 to 5 (default 2)"),
            .init("inbound_url", kind: .url, "serve's public URL of this channel's answers (https://HOST/v1/inbound/CHANNEL): the call then takes a keypress, 1 to acknowledge, 2 to escalate"),
        ],
        validExamples: [
            """
            account: ${env:VOICE_ACCOUNT}
            auth_token: ${env:VOICE_TOKEN}
            from: "+1-555-0100"
            """,
            """
            api_url: https://voice.example.org/2010-04-01
            account: ${env:VOICE_ACCOUNT}
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            voice: Polly.Joanna
            loop: 3
            """,
        ],
        invalidExamples: [
            """
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            """,
            """
            account: ${env:VOICE_ACCOUNT}
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            loop: 9
            """,
            """
            account: ${env:VOICE_ACCOUNT}
            auth_token: ${env:VOICE_TOKEN}
            from: "+15550100"
            voice: "Polly<Joanna>"
            """,
        ],
        // Placing a call waits on the telephony provider, which is slower than a chat or webhook post.
        deliveryTimeout: 30)

    /// Checks the shared settings, `loop` and `voice`.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = TwilioStyleAPI.validate(settings, descriptor)
        if let loop = settings.raw("loop"), !(1...5).contains(Int(loop) ?? 0) {
            problems.append(settings.problem("loop", "'loop' must be a whole number from 1 to 5, not '\(loop)'"))
        }
        if let voice = settings.raw("voice"), !voice.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            problems.append(settings.problem("voice", "'\(voice)' is not a voice name (letters, digits, '.', '_' and '-')"))
        }
        return problems
    }

    private let api: TwilioStyleAPI
    private let voice: String?
    private let loop: Int
    private let inboundURL: String?

    /// Resolves the account and token; fails when a reference is unset.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        api = try TwilioStyleAPI(settings: settings, environment: environment, service: "the voice API")
        voice = settings.raw("voice")
        loop = settings.raw("loop").flatMap(Int.init).map { min(max($0, 1), 5) } ?? 2
        inboundURL = try settings.resolved("inbound_url", in: environment)
    }

    /// Sends `To`, `From` and `Twiml` to `Calls.json`; the receipt is the call sid, answered or unanswered when the
    /// response's call `status` already says so (`completed`/`in-progress`, `no-answer`/`busy`), else not known.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        guard let to = address.flatMap(TwilioStyleAPI.phoneNumber) else { return api.notAPhoneNumber(address) }
        var fields = [("To", to), ("From", api.from), ("Twiml", twiml(message))]
        if let inboundURL {
            // The call's final status (completed, no-answer, busy) comes back to serve, so a fallback need not wait.
            fields += [("StatusCallback", Self.url(inboundURL, incident: message.incidentID)), ("StatusCallbackMethod", "POST")]
        }
        return await api.create("Calls.json", fields, idempotencyKey: message.idempotencyKey, readsAnswer: true)
    }

    /// `<Response><Say voice="…" loop="N">subject. body</Say></Response>` with the text escaped.
    func twiml(_ message: ChannelMessage) -> String {
        let spoken = [message.subject, message.body].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ". ")
        var attributes = " loop=\"\(loop)\""
        if let voice { attributes = " voice=\"\(Self.escape(voice))\"" + attributes }
        guard let inboundURL else { return "<Response><Say\(attributes)>\(Self.escape(spoken))</Say></Response>" }
        // The keypress goes to serve, with the incident in the (signed) URL; no keypress ends the call.
        let action = Self.url(inboundURL, incident: message.incidentID)
        return "<Response><Gather numDigits=\"1\" method=\"POST\" action=\"\(Self.escape(action))\"><Say\(attributes)>\(Self.escape(spoken)). \(Self.prompt)</Say></Gather></Response>"
    }

    /// The inbound URL with the incident in its query.
    static func url(_ inboundURL: String, incident: String) -> String {
        inboundURL + (inboundURL.contains("?") ? "&" : "?") + "incident=" + (incident.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
    }

    /// Characters a URL query value keeps as they are.
    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// What the call offers after the message.
    static let prompt = "Press 1 to acknowledge, 2 to escalate."

    /// The setting whose auth token verifies the provider's callbacks.
    public static let inboundSecretSetting = "auth_token"

    /// The keypress callback (`Digits`, with the incident in the URL's query): checks `X-Twilio-Signature`; 1
    /// acknowledges, 2 escalates; the answering person is the number called (`To`).
    public func receive(_ request: InboundRequest) -> InboundOutcome {
        if let refusal = api.verify(request) { return refusal }
        let incident = request.url.split(separator: "?", maxSplits: 1).dropFirst().first.map { InboundRequest.formFields(String($0)) }?
            .first { $0.name == "incident" }?.value
        guard let digits = request.formValue("Digits"), !digits.isEmpty else {
            // A status callback: the call's final status says whether it was picked up; by a machine (when the provider
            // detects one and says `AnsweredBy`) counts as nobody.
            if let sid = request.formValue("CallSid"), !sid.isEmpty, var answer = TwilioStyleAPI.answer(status: request.formValue("CallStatus")) {
                if let by = request.formValue("AnsweredBy")?.lowercased(), by.hasPrefix("machine") || by == "fax" { answer = .unanswered }
                return .delivery(reference: incident, externalID: sid, answer: answer)
            }
            return .answered(respond(nil))
        }
        guard let to = request.formValue("To"), !to.isEmpty else { return .refused(status: 400, reason: "the callback has no To") }
        let command = switch digits.prefix(1) {
        case "1": "ack"
        case "2": "escalate"
        default: "key \(digits.prefix(4))"
        }
        return .reply(InboundReply(from: to, text: command, reference: incident, via: "voice keypress"))
    }

    /// The answer read to the caller (`<Say>`), then the call ends.
    public func respond(_ text: String?) -> InboundResponse {
        let say = text.map { "<Say>\(Self.escape($0))</Say>" } ?? ""
        return InboundResponse(contentType: "text/xml; charset=utf-8", body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(say)</Response>")
    }

    /// XML text escaping.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
