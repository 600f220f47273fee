import EscalationServer
import Testing

@Suite("The SMTP listener's session: commands in order, dot-stuffed data, limits, and any bytes without trapping")
struct SMTPReceiverTests {
    func feed(_ receiver: inout SMTPReceiver, _ line: String) -> SMTPReceiver.Step { receiver.feed(Array(line.utf8)) }

    @Test func aMessageIsTakenWithItsEnvelopeAndUnstuffedData() {
        var receiver = SMTPReceiver(hostname: "escalate.test", maxMessageBytes: 1_000)
        #expect(receiver.greeting.hasPrefix("220 escalate.test"))
        guard case .reply(let ehlo) = feed(&receiver, "EHLO client.test") else {
            Issue.record("a reply")
            return
        }
        #expect(ehlo.hasPrefix("250-escalate.test") && ehlo.contains("SIZE 1000"))
        #expect(feed(&receiver, "MAIL FROM:<Jessie@Example.org> BODY=8BITMIME") == .reply("250 2.1.0 OK\r\n"))
        #expect(feed(&receiver, "RCPT TO:<replies@escalate.test>") == .reply("250 2.1.5 OK\r\n"))
        guard case .reply(let data) = feed(&receiver, "DATA") else {
            Issue.record("a reply")
            return
        }
        #expect(data.hasPrefix("354"))
        #expect(feed(&receiver, "Subject: hi") == SMTPReceiver.Step.none)
        #expect(feed(&receiver, "") == SMTPReceiver.Step.none)
        #expect(feed(&receiver, "..leading dot") == SMTPReceiver.Step.none)
        #expect(
            feed(&receiver, ".")
                == .message(data: Array("Subject: hi\r\n\r\n.leading dot\r\n".utf8), from: "Jessie@Example.org", to: ["replies@escalate.test"]))
        #expect(feed(&receiver, "QUIT") == .close("221 2.0.0 bye\r\n"))
    }

    @Test func commandsOutOfOrderTooLargeMessagesAndBouncesAreAnswered() {
        var receiver = SMTPReceiver(hostname: "h", maxMessageBytes: 10)
        #expect(feed(&receiver, "RCPT TO:<a@b.c>") == .reply("503 5.5.1 MAIL FROM first\r\n"))
        #expect(feed(&receiver, "DATA") == .reply("503 5.5.1 MAIL FROM and RCPT TO first\r\n"))
        #expect(feed(&receiver, "MAIL FROM:<>") == .reply("250 2.1.0 OK\r\n"))
        #expect(feed(&receiver, "RCPT TO:<a@b.c>") == .reply("250 2.1.5 OK\r\n"))
        _ = feed(&receiver, "DATA")
        _ = feed(&receiver, "a line longer than ten bytes")
        #expect(feed(&receiver, ".") == .reply("552 5.3.4 the message is larger than 10 bytes\r\n"))
        #expect(feed(&receiver, "STARTTLS") == .reply("502 5.5.1 command not taken here (replies to escalation messages only)\r\n"))
    }

    @Test func tooManyErrorsCloseTheSession() {
        var receiver = SMTPReceiver(hostname: "h", maxMessageBytes: 10)
        var last: SMTPReceiver.Step = .none
        for _ in 0..<SMTPReceiver.maxErrors { last = feed(&receiver, "BOGUS") }
        #expect(last == .close("421 4.7.0 too many errors; closing\r\n"))
    }

    @Test("random lines never trap", arguments: 0..<100)
    func fuzz(seed: Int) {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let words = ["MAIL FROM:", "RCPT TO:", "<", ">", "DATA", ".", "EHLO", "QUIT", "RSET", "\u{0}", "é", " ", "ß", "a@b"]
        var receiver = SMTPReceiver(hostname: "h", maxMessageBytes: 64)
        for _ in 0..<40 {
            var line = ""
            for _ in 0..<next(5) { line += words[next(words.count)] }
            var bytes = Array(line.utf8)
            if next(4) == 0 { bytes.append(UInt8(next(256))) }
            _ = receiver.feed(bytes)
        }
        #expect(SMTPReceiver.replyText("a\r\nb\u{0}é").allSatisfy { $0.isASCII && $0 != "\r" && $0 != "\n" })
    }
}
