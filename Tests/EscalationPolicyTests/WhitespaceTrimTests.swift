import EscalationCore
import Foundation
import Testing

@testable import EscalationPolicy

/// `WhitespaceTrim.trimmed` trims ASCII text by bytes (anchors are read with it). This pins it against Foundation's
/// `trimmingCharacters(in: .whitespaces)` (the oracle) on chosen texts and 20,000 random ones drawn from every ASCII
/// byte and a few other scalars (no-break and ideographic spaces, a combining mark), as strings and as substrings.
@Suite struct WhitespaceTrimTests {
    @Test func agreesWithFoundation() {
        let chosen = ["", " ", "\t", " \t a b \t ", "\u{0B}x\u{0C}", "\r\nx\r\n", "\u{00A0}x\u{00A0}", "\u{3000}x", " x\u{0301} ", "session.start + 15m"]
        for text in chosen {
            #expect(WhitespaceTrim.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
        var rng = SplitMix64(seed: 9_090)
        let others: [Character] = ["\u{00A0}", "\u{3000}", "\u{0301}", "é", "\u{2009}"]
        for round in 0..<20_000 {
            let length = Int(rng.next() % 10)
            var text = ""
            for _ in 0..<length {
                let pick = rng.next() % 40
                if round % 4 == 0, pick < UInt64(others.count) {
                    text.append(others[Int(pick)])
                } else if pick < 20 {
                    text.append([" ", "\t", "a", "+", "-", "\n"][Int(pick % 6)])
                } else {
                    text.append(Character(Unicode.Scalar(UInt8(rng.next() % 128))))
                }
            }
            #expect(WhitespaceTrim.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            let cut = text.dropFirst(length > 2 ? 1 : 0)
            #expect(WhitespaceTrim.trimmed(cut) == cut.trimmingCharacters(in: .whitespaces), "\(cut.debugDescription)")
        }
    }
}
