import Crypto
import EmailChannel
import EscalationChannel
import EscalationCore
import Foundation
import Testing

@Suite("EmailChannel takes replies: SMTP messages checked by envelope and thread, webhook posts by signature")
struct EmailInboundTests {
    static let key = "mail-key-DistinctiveValue"
    static let now: Int64 = 1_795_000_000

    func channel(key: Bool = true) throws -> EmailChannel {
        var yaml = "host: 127.0.0.1\nfrom: Escalate <escalate@alerts.example.org>\ndomain: alerts.example.org"
        if key { yaml += "\ninbound_signing_key: ${env:MAIL_KEY}" }
        return try EmailChannel(settings: SettingsYAML.settings(yaml, channel: "email"), environment: ChannelEnvironment(["MAIL_KEY": Self.key]))
    }

    func smtp(_ message: String, envelope: String = "<jessie@example.org>") -> InboundRequest {
        InboundRequest(method: "SMTP", url: "smtp://127.0.0.1", headers: ["x-smtp-mail-from": envelope], body: Array(message.utf8), receivedAt: Instant(seconds: Self.now))
    }

    static let thread = "In-Reply-To: <acme-1=2Fn4=2F0@alerts.example.org>\r\nReferences: <acme-1@alerts.example.org> <acme-1=2Fn4=2F0@alerts.example.org>\r\n"

    @Test func aReplyInTheThreadNamesItsIncidentAndKeepsOnlyWhatWasWritten() throws {
        let message = """
            From: "Jessie Smith" <Jessie@Example.org>\r
            To: escalate@alerts.example.org\r
            Subject: Re: Disk full\r
            Message-ID: <r1@example.org>\r
            DKIM-Signature: v=1; b=SECRETSIG\r
            \(Self.thread)\r
            Ack, on it\r
            \r
            -- \r
            Jessie\r
            On Fri, Escalate wrote:\r
            > Reply 1a to acknowledge\r

            """
        guard case .reply(let reply) = try channel().receive(smtp(message)) else {
            Issue.record("a reply from the envelope sender is read")
            return
        }
        #expect(reply.from == "jessie@example.org")
        #expect(reply.text == "Ack, on it")
        #expect(reply.reference == "acme-1")
        #expect(reply.via == "email reply")
        #expect(reply.raw?.contains("SECRETSIG") == false && reply.raw?.contains("Ack, on it") == true)
        #expect(reply.context["message-id"] == "<r1@example.org>")
    }

    @Test func multipartQuotedPrintableAndHTMLOnlyBodiesAreRead() throws {
        let multipart = """
            From: jessie@example.org\r
            Content-Type: multipart/alternative; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <div>1r fixed</div><blockquote>1a</blockquote>\r
            --b1\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            1r fix=\r
            ed caf=C3=A9\r
            --b1--\r

            """
        guard case .reply(let plain) = try channel().receive(smtp(multipart)) else {
            Issue.record("read")
            return
        }
        #expect(plain.text == "1r fixed café")
        #expect(plain.reference == nil)
        let html = "From: jessie@example.org\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Data("<p>2a</p><div class=\"gmail_quote\">On x wrote: 9r</div>".utf8).base64EncodedString() + "\r\n"
        guard case .reply(let reply) = try channel().receive(smtp(html)) else {
            Issue.record("read")
            return
        }
        #expect(reply.text == "2a")
    }

    @Test func aForgedFromIsRefusedAndBouncesAndAutoRepliesAreIgnored() throws {
        let channel = try channel()
        let message = "From: jessie@example.org\r\n\r\n1a\r\n"
        guard case .refused(let status, _) = channel.receive(smtp(message, envelope: "<attacker@evil.example>")) else {
            Issue.record("refused")
            return
        }
        #expect(status == 403)
        guard case .answered = channel.receive(smtp(message, envelope: "<>")) else {
            Issue.record("a bounce is ignored")
            return
        }
        guard case .answered = channel.receive(smtp("Auto-Submitted: auto-replied\r\n" + message)) else {
            Issue.record("an automatic reply is ignored")
            return
        }
        guard case .refused = channel.receive(smtp("Subject: no sender\r\n\r\n1a\r\n")) else {
            Issue.record("no From is refused")
            return
        }
    }

    func webhook(_ fields: [(String, String)], stamp: Int64 = now, key: String = key) -> InboundRequest {
        let token = "tok-1"
        let code = HMAC<SHA256>.authenticationCode(for: Array("\(stamp)\(token)".utf8), using: SymmetricKey(data: Data(key.utf8)))
        let signature = code.map { String(format: "%02x", $0) }.joined()
        let all = fields + [("timestamp", String(stamp)), ("token", token), ("signature", signature)]
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return InboundRequest(url: "https://e/v1/inbound/email", body: Array(body.utf8), receivedAt: Instant(seconds: Self.now))
    }

    @Test func aSignedWebhookPostIsAReplyAndOthersAreRefused() throws {
        let channel = try channel()
        let fields = [("sender", "jessie@example.org"), ("References", "<acme-2@alerts.example.org>"), ("body-plain", "ack\n> quoted 9r")]
        guard case .reply(let reply) = channel.receive(webhook(fields)) else {
            Issue.record("a signed post is a reply")
            return
        }
        #expect(reply.text == "ack" && reply.reference == "acme-2" && reply.from == "jessie@example.org")
        for request in [webhook(fields, key: "other"), webhook(fields, stamp: Self.now - 301), webhook(fields, stamp: Self.now + 400)] {
            guard case .refused(let status, _) = channel.receive(request) else {
                Issue.record("refused")
                continue
            }
            #expect(status == 403)
        }
        guard case .refused(let status, _) = try self.channel(key: false).receive(webhook(fields)) else {
            Issue.record("without a key every post is refused")
            return
        }
        #expect(status == 403)
    }

    @Test("hostile messages never trap and never read as a reply from nobody", arguments: 0..<200)
    func fuzz(seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let pieces = [
            "From: ", "jessie@example.org", "\r\n", "\n", " ", "<", ">", "=", "=C3", "=\r\n", "--b1", "--b1--", "Content-Type: multipart/mixed; boundary=b1",
            "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: quoted-printable", "References: <", "@alerts.example.org>", "> ",
            "-- ", "wrote:", "1a", "\u{0}", "é", "\r\n\r\n", "<div", "</div>", "&amp;", "%", "@",
        ]
        var text = ""
        for _ in 0..<next(60) { text += pieces[next(pieces.count)] }
        var bytes = Array(text.utf8)
        for _ in 0..<next(4) where !bytes.isEmpty { bytes[next(bytes.count)] = UInt8(next(256)) }
        let channel = try channel()
        let request = InboundRequest(method: "SMTP", url: "smtp://x", headers: ["x-smtp-mail-from": "<jessie@example.org>"], body: bytes, receivedAt: Instant(seconds: Self.now))
        if case .reply(let reply) = channel.receive(request) {
            #expect(reply.from == "jessie@example.org", "a reply is only ever from the envelope sender")
        }
        let post = InboundRequest(url: "https://e/v1/inbound/email", body: bytes, receivedAt: Instant(seconds: Self.now))
        if case .reply = channel.receive(post) { Issue.record("an unsigned post is never a reply") }
    }
}
