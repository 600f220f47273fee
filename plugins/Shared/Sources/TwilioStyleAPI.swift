// Shared source: linked (symlink) into the sms and voice plugin modules, which talk to the same kind of API.

import Crypto
import EscalationChannel
import EscalationCore
import Foundation

/// A Twilio-style REST API: form-encoded POSTs to `{api_url}/Accounts/{account}/{resource}` with HTTP basic
/// auth (account, auth token), answered with JSON whose `sid` identifies what was created.
struct TwilioStyleAPI: Sendable {
    /// The default API base.
    static let defaultURL = "https://api.twilio.com/2010-04-01"

    /// The settings both plugins read.
    static let settings: [ChannelDescriptor.Setting] = [
        .init("account", required: true, "the account SID (plain or a ${env:NAME} reference)"),
        .init("auth_token", required: true, secret: true, "the account's auth token"),
        .init("from", required: true, "the number messages come from, in E.164 form (+15550100)"),
        .init("api_url", kind: .url, "the API base URL (default \(defaultURL))"),
        .init("timeout", kind: .duration, "how long one request may take, e.g. 10s (default 10s)"),
    ]

    /// Checks the shared settings on top of required keys and secret references.
    static func validate(_ settings: ChannelSettings, _ descriptor: ChannelDescriptor) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor) + settings.checkURL("api_url") + settings.checkDuration("timeout")
        if let from = settings.raw("from"), !ChannelEnvironment.isReference(from), phoneNumber(from) == nil {
            problems.append(
                settings.problem("from", "'\(from)' is not a phone number in E.164 form", hint: "write e.g. 'from: \"+15550100\"'"))
        }
        return problems
    }

    private let base: String
    private let account: String
    private let credentials: String
    private let token: String
    /// The sending number, normalised.
    let from: String
    private let exchange: HTTPExchange

    /// Resolves the account, token and URL; fails when a reference is unset or a value is malformed.
    init(settings: ChannelSettings, environment: ChannelEnvironment, service: String) throws(ChannelSetupError) {
        base = try settings.url("api_url", default: Self.defaultURL, in: environment)
        account = try settings.required("account", in: environment)
        let token = try settings.required("auth_token", in: environment)
        self.token = token
        credentials = Data("\(account):\(token)".utf8).base64EncodedString()
        guard let from = Self.phoneNumber(try settings.required("from", in: environment)) else {
            throw ChannelSetupError("\(settings.channel).from is not a phone number in E.164 form")
        }
        self.from = from
        // The account SID is not a secret to the provider, but it identifies the account: masked in failure reasons
        // (which the delivery details and the store keep) like the token.
        exchange = HTTPExchange(service: service, timeout: try settings.timeout(), secrets: [token, credentials, account])
    }

    /// Creates a resource (`Messages.json`, `Calls.json`) from form fields; the receipt carries its `sid`, and, with
    /// `readsAnswer`, whether the call was answered as far as the response's `status` already says (`answer(status:)`).
    func create(_ resource: String, _ fields: [(String, String)], idempotencyKey: String, readsAnswer: Bool = false) async -> DeliveryResult {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let form = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        let path = account.addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(credentials)"),
            ("Idempotency-Key", idempotencyKey),
        ]
        switch await exchange.send(.POST, "\(base)/Accounts/\(path)/\(resource)", headers: headers, body: Array(form.utf8)) {
        case .success(let response):
            let answer = readsAnswer ? Self.answer(status: response.field("status")) : nil
            return .delivered(DeliveryReceipt(externalID: response.field("sid"), answer: answer))
        case .failure(let failure): return .failed(failure)
        }
    }

    /// What a call's `status` says about answering: `in-progress` and `completed` were answered, `no-answer` and `busy`
    /// were not; anything else (`queued`, `ringing`, none) is not known yet.
    static func answer(status: String?) -> DeliveryAnswer? {
        switch status {
        case "in-progress", "completed": .answered
        case "no-answer", "busy": .unanswered
        default: nil
        }
    }

    /// A failure for an address that is not a phone number.
    func notAPhoneNumber(_ address: String?) -> DeliveryResult {
        .failed(exchange.failure(retryable: false, "'\(address ?? "")' is not a phone number in E.164 form (+15550101)"))
    }

    /// `+` and 7 to 15 digits, with spaces, dashes, dots and parentheses removed; nil when it is not one.
    static func phoneNumber(_ text: String) -> String? {
        let kept = text.filter { !" -.()".contains($0) }
        guard kept.hasPrefix("+") else { return nil }
        let digits = kept.dropFirst()
        guard (7...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return kept
    }

    /// The provider's request signature: base64 of HMAC-SHA1, keyed with the auth token, over the URL followed by
    /// every form parameter's name and value, sorted by name (then value).
    static func signature(url: String, form: [(name: String, value: String)], token: String) -> String {
        let sorted = form.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        let text = url + sorted.map { $0.name + $0.value }.joined()
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(token.utf8)))
        return Data(code).base64EncodedString()
    }

    /// Nil when the request carries a valid `X-Twilio-Signature` for its URL and form; else the refusal (403).
    func verify(_ request: InboundRequest) -> InboundOutcome? {
        guard let given = request.header("X-Twilio-Signature"), !given.isEmpty else {
            return .refused(status: 403, reason: "no X-Twilio-Signature header")
        }
        let expected = Self.signature(url: request.url, form: request.form, token: token)
        // Compared in constant time: the lengths are public, the bytes are not.
        let a = Array(expected.utf8)
        let b = Array(given.utf8)
        guard a.count == b.count, zip(a, b).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return .refused(status: 403, reason: "the X-Twilio-Signature does not match the request (wrong auth token, or a URL other than the one the provider called: check serve's --base-url)")
        }
        return nil
    }

    /// A TwiML answer: `<Response><Message>text</Message></Response>` (an empty `<Response/>` without text).
    static func messageResponse(_ text: String?) -> InboundResponse {
        let inner = text.map { "<Message>\(xmlEscaped($0))</Message>" } ?? ""
        return InboundResponse(contentType: "text/xml; charset=utf-8", body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(inner)</Response>")
    }

    /// XML text escaping.
    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
