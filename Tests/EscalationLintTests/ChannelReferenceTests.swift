import EscalationChannel
import EscalationCore
import Testing

/// `ChannelEnvironment.isReference` answers ASCII text from its bytes. This pins it against the character check it
/// replaced (`referenceName(_:) != nil`, kept as the oracle) on chosen texts and 20,000 random ones built from pieces
/// of references, CR LF, non-ASCII letters and combining marks.
@Suite("Channel setting references by bytes")
struct ChannelReferenceTests {
    static let chosen = [
        "", "${env:A}", "${env:SMTP_PASSWORD}", "${env:_X9}", "${env:}", "${env:a}", "${env:9A}", "${env:A", "$env:A}", "${env:A}}",
        " ${env:A}", "${env:A} ", "${env:A\r\n}", "${env:\r\nA}", "${env:A}\r\n", "${env:A}\u{301}", "${env:\u{301}A}", "${env:É}",
        "${env:A\u{301}}", "${env:A-B}", "${ENV:A}", "{env:A}", "${env:A}x", "plain", "${env:ABC_DEF_123}",
    ]

    @Test("chosen texts")
    func chosenTexts() {
        for text in Self.chosen {
            #expect(ChannelEnvironment.isReference(text) == (ChannelEnvironment.referenceName(text) != nil), "\(text.debugDescription)")
        }
        #expect(ChannelEnvironment.isReference("${env:SMTP_PASSWORD}"))
        #expect(!ChannelEnvironment.isReference("${env:smtp}"))
    }

    @Test("20,000 random texts")
    func random() {
        var rng = SplitMix64(seed: 0x5EC2_E7E5)
        let pieces = ["${env:", "}", "A", "Z", "_", "0", "9", "a", "-", "$", "{", ":", "\r\n", "\r", "\n", " ", "é", "\u{301}", "Ü", "😀", "env"]
        let names = ["A", "Z", "_", "0", "9", "SMTP"]
        var references = 0
        for _ in 0..<20_000 {
            var text = rng.next() % 3 == 0 ? "" : "${env:"
            for _ in 0..<Int(rng.next() % 6) {
                // Half the pieces are a name's, so that many texts are references.
                let from = rng.next() % 2 == 0 ? names : pieces
                text += from[Int(rng.next() % UInt64(from.count))]
            }
            if rng.next() % 2 == 0 { text += "}" }
            let expected = ChannelEnvironment.referenceName(text) != nil
            #expect(ChannelEnvironment.isReference(text) == expected, "\(text.debugDescription)")
            if expected { references += 1 }
        }
        // Both answers are drawn often.
        #expect(references > 500 && references < 19_000, "\(references)")
    }
}
