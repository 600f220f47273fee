import EscalationCore
import Testing

@testable import EscalationPolicy

/// A target's description takes "an" before a key starting with a vowel. `startsWithVowel` reads the first byte
/// where that is the first character; this pins it against the character test it replaced (the oracle) on chosen
/// and 5,000 random texts with combining marks, line breaks and non-ASCII letters.
@Suite struct TargetArticleTests {
    static func oracle(_ text: String) -> Bool { text.first.map { "aeiou".contains($0) } == true }

    @Test func agreesWithTheCharacterTest() {
        let chosen = ["", "a", "assignee", "notify", "cc", "escalate", "i", "o", "u", "A", "a\u{0301}", "e\u{0308}x", "\r\n", "a\r\n", "é", "ü", "a\n"]
        for text in chosen { #expect(DocumentReader.startsWithVowel(text) == Self.oracle(text), "\(text.debugDescription)") }
        var rng = SplitMix64(seed: 77)
        let pieces = ["a", "e", "i", "o", "u", "b", "A", "\u{0301}", "\n", "\r", "é", "x", " ", "日"]
        for _ in 0..<5_000 {
            let text = (0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(DocumentReader.startsWithVowel(text) == Self.oracle(text), "\(text.debugDescription)")
        }
    }
}
