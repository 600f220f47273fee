import Crypto
import EscalationChannel
import EscalationCore
import Foundation

/// Replies by e-mail: a message `serve --smtp-listen` received (method `SMTP`, the whole message as the body, the
/// envelope in `x-smtp-mail-from` / `x-smtp-rcpt-to`), or an inbound-parse webhook's post to
/// `POST /v1/inbound/{channel}` signed with `inbound_signing_key`. The incident comes from the thread's message ids
/// this channel wrote (`References`, `In-Reply-To`), else from the code in the text.
extension EmailChannel: InboundChannel {
    /// The key that verifies an inbound-parse webhook (SMTP replies are checked by sender and thread).
    public static let inboundSecretSetting = "inbound_signing_key"

    /// How old a webhook's timestamp may be, in seconds, either way.
    static let replayWindow: Int64 = 300

    /// Reads a received message or a webhook post into a reply.
    public func receive(_ request: InboundRequest) -> InboundOutcome {
        request.method == "SMTP" ? receiveMail(request) : receiveWebhook(request)
    }

    /// A message from the SMTP listener: a bounce or an automatic message is taken and ignored; a From that differs
    /// from the envelope sender is refused.
    func receiveMail(_ request: InboundRequest) -> InboundOutcome {
        let email = InboundEmail.parse(request.body)
        let envelope = request.header("x-smtp-mail-from").flatMap(InboundEmail.address(in:))
        guard let envelope else { return .answered(InboundResponse(body: "ignored: a bounce (no envelope sender) is never an answer")) }
        if let automatic = email.header("auto-submitted"), automatic.lowercased() != "no" {
            return .answered(InboundResponse(body: "ignored: an automatic message (Auto-Submitted: \(automatic.prefix(30)))"))
        }
        if let precedence = email.header("precedence")?.lowercased(), ["bulk", "junk", "list", "auto_reply"].contains(precedence) {
            return .answered(InboundResponse(body: "ignored: an automatic message (Precedence: \(precedence))"))
        }
        guard let from = email.from else { return .refused(status: 400, reason: "the message has no From address") }
        guard from == envelope else {
            return .refused(status: 403, reason: "the From address is not the envelope sender (MAIL FROM); answers must come from the contact's own address")
        }
        return .reply(reply(from: from, email: email, text: email.replyText, reference: email.incident(domain: domain)))
    }

    /// An inbound-parse webhook (form fields): `timestamp`, `token` and `signature` (hex HMAC-SHA256 of timestamp and
    /// token with `inbound_signing_key`, five-minute window), and either `body-mime` (the whole message) or `sender`/
    /// `from`, `subject`, `In-Reply-To`, `References` and `stripped-text`/`body-plain`.
    func receiveWebhook(_ request: InboundRequest) -> InboundOutcome {
        guard let key = inboundSigningKey else {
            return .refused(status: 403, reason: "the channel has no inbound_signing_key to verify webhook posts with")
        }
        let form = request.form
        func field(_ name: String) -> String? { form.first { $0.name.lowercased() == name.lowercased() }?.value }
        guard let stamp = field("timestamp"), let seconds = Int64(stamp), let token = field("token"), let given = field("signature") else {
            return .refused(status: 403, reason: "the post lacks timestamp, token or signature")
        }
        guard abs(request.receivedAt.seconds - seconds) <= Self.replayWindow else {
            return .refused(status: 403, reason: "the post's timestamp is more than five minutes off (a replay?)")
        }
        let code = HMAC<SHA256>.authenticationCode(for: Array((stamp + token).utf8), using: SymmetricKey(data: Data(key.utf8)))
        let expected = Array(code.map { String(format: "%02x", $0) }.joined().utf8)
        let got = Array(given.lowercased().utf8)
        guard expected.count == got.count, zip(expected, got).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return .refused(status: 403, reason: "the signature does not match the post")
        }
        if let mime = field("body-mime") {
            let email = InboundEmail.parse(Array(mime.utf8))
            guard let from = email.from else { return .refused(status: 400, reason: "the message has no From address") }
            return .reply(reply(from: from, email: email, text: email.replyText, reference: email.incident(domain: domain)))
        }
        guard let from = (field("sender") ?? field("from")).flatMap(InboundEmail.address(in:)) else {
            return .refused(status: 400, reason: "the post names no sender ('sender' or 'from')")
        }
        var headers: [(name: String, value: String)] = [("from", from)]
        for name in ["subject", "message-id", "in-reply-to", "references"] {
            if let value = field(name) { headers.append((name, value)) }
        }
        let email = InboundEmail(headers: headers, body: [])
        let text = InboundEmail.cleaned(field("stripped-text") ?? field("body-plain") ?? "")
        return .reply(reply(from: from, email: email, text: text, reference: email.incident(domain: domain)))
    }

    /// The reply, with what is kept of it on the timeline (the sender, subject, thread ids and the answer's text; no
    /// Received, DKIM or Authentication-Results lines, no webhook signature) and what `followUp` needs to answer.
    func reply(from: String, email: InboundEmail, text: String, reference: String?) -> InboundReply {
        var raw: [String] = ["From: \(from)"]
        for name in ["subject", "date", "message-id", "in-reply-to", "references"] {
            if let value = email.header(name) { raw.append("\(name.prefix(1).uppercased() + name.dropFirst()): \(value.prefix(500))") }
        }
        raw += ["", text]
        var context: [String: String] = [:]
        context["subject"] = email.header("subject").map { String($0.prefix(200)) }
        context["message-id"] = InboundEmail.messageIDs(email.header("message-id")).first.map { "<\($0.prefix(300))>" }
        return InboundReply(from: from, text: text, reference: reference, via: "email reply", context: context, raw: raw.joined(separator: "\n"))
    }

    /// Answers a known contact's reply by e-mail, in its thread, with what was done or why not (an unknown sender gets
    /// nothing, so a forged sender never makes this channel mail a stranger).
    public func followUp(_ reply: InboundReply, result: InboundResult) async {
        guard result.by != nil, Self.isAddress(reply.from) else { return }
        let subject = reply.context["subject"].map { $0.lowercased().hasPrefix("re:") ? $0 : "Re: \($0)" } ?? "Re: your reply"
        let theirs = reply.context["message-id"]
        let email = EmailMessage(
            from: from, to: [reply.from], cc: [], subject: subject, date: Date(),
            messageID: "<answer.\(UInt64.random(in: 0...UInt64.max))@\(domain)>", inReplyTo: theirs, references: theirs.map { [$0] } ?? [],
            extraHeaders: [("Auto-Submitted", "auto-replied")], body: result.text)
        _ = try? await client.send(from: sender, to: [reply.from], data: email.data())
    }
}
