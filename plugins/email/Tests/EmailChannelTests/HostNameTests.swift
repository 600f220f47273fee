@testable import EmailChannel
import EscalationCore
import Foundation
import Testing

/// `EmailChannel.isHostName` answers text of ASCII letters, digits, `-` and `.` from its bytes. This pins it against
/// the character check it replaced (kept here as the oracle) on chosen texts and 20,000 random ones with IP addresses,
/// CR LF, non-ASCII letters, combining marks and lengths around the 253-character limit.
@Suite("E-mail host names by bytes")
struct HostNameTests {
    /// The check before: letters, digits, `-` and `.` by character, or an IP address.
    static func oracle(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        return SMTPClient.isIPAddress(text) || text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    @Test("chosen texts")
    func chosen() {
        let texts = [
            "", "smtp.example.org", "localhost", "127.0.0.1", "::1", "fe80::1", "a_b.example.org", "smtp example", "smtp.example.org\r\n",
            "é.example", "e\u{301}.example", "١٢٣", String(repeating: "a", count: 253), String(repeating: "a", count: 254), "-", ".",
        ]
        for text in texts { #expect(EmailChannel.isHostName(text) == Self.oracle(text), "\(text.debugDescription)") }
        #expect(EmailChannel.isHostName("smtp.example.org"))
        #expect(!EmailChannel.isHostName(String(repeating: "a", count: 254)))
    }

    @Test("20,000 random texts")
    func random() {
        var rng = SplitMix64(seed: 0x4057_2026)
        let pieces = ["a", "Z", "0", "9", "-", ".", "_", " ", ":", "1", "\r\n", "é", "\u{301}", "١", "smtp", "example", "org", "::", "127.0.0.1"]
        var hosts = 0
        for _ in 0..<20_000 {
            var text = ""
            let count = rng.next() % 10 == 0 ? 240 + Int(rng.next() % 20) : Int(rng.next() % 8)
            while text.unicodeScalars.count < count { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if rng.next() % 2 == 0 { text = text.replacingOccurrences(of: " ", with: "") }
            let expected = Self.oracle(text)
            #expect(EmailChannel.isHostName(text) == expected, "\(text.debugDescription)")
            if expected { hosts += 1 }
        }
        #expect(hosts > 1_000 && hosts < 19_000, "\(hosts)")
    }
}
