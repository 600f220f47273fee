import EscalationCore
import Testing

@testable import SlackChannel

/// `SlackAddress.trimmingSpaces` (bytes for ASCII text) against the trimming by characters it replaced.
@Suite("Slack address trimming")
struct SlackAddressTrimTests {
    /// The trimming by characters, as it was.
    static func oracle(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    @Test("chosen addresses, CR LF and combining marks included")
    func chosen() {
        let cases = [
            "", " ", "   ", "#ops", "  #ops  ", " C0123ABC", "@here ", "a b", " a b ", "\r\n", " \r\n ", "\t#ops\t",
            " \u{301}#ops", "#ops \u{301}", " \u{301} ", "é #ops ", " #öps", "\u{A0}#ops\u{A0}", " 🙂 ",
        ]
        for text in cases {
            #expect(SlackAddress.trimmingSpaces(text) == Self.oracle(text), "\(Array(text.unicodeScalars))")
            #expect(SlackAddress(text).channel == SlackAddress(Self.oracle(text)).channel)
        }
    }

    @Test("20,000 random texts of spaces, ASCII, CR LF, tabs and non-ASCII scalars")
    func random() {
        var generator = SplitMix64(seed: 0x51ac_7e1d)
        let pieces: [String] = [" ", " ", " ", "a", "Z", "#", "@", "0", "\r", "\n", "\r\n", "\t", "\u{301}", "é", "\u{A0}", "🙂", "<", ">"]
        var trimmed = 0
        var nonASCII = 0
        var asciiTrimmed = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...10, using: &generator)
            let text = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            let expected = Self.oracle(text)
            #expect(SlackAddress.trimmingSpaces(text) == expected, "\(Array(text.unicodeScalars))")
            if expected != text { trimmed += 1 }
            if !text.utf8.allSatisfy({ $0 < 0x80 }) {
                nonASCII += 1
            } else if expected != text {
                asciiTrimmed += 1
            }
        }
        #expect(trimmed > 3_000)
        #expect(nonASCII > 3_000)
        #expect(asciiTrimmed > 1_000)
    }
}
