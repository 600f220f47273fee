import EscalationCore
@testable import EscalationLint
import Testing

/// `PlaintextSecretRule.isReference` reads ASCII text byte by byte. This pins it against the character check it had
/// (`hasPrefix`, `hasSuffix`, the name's scalars), kept here as the oracle, on chosen and 20,000 random texts.
@Suite("Plaintext secret references by bytes")
struct PlaintextSecretReferenceTests {
    /// `isReference` as it was.
    static func reference(_ text: String) -> Bool {
        guard text.hasPrefix("${env:"), text.hasSuffix("}") else { return false }
        return PlaintextSecretRule.isVariableName(text.dropFirst("${env:".count).dropLast())
    }

    @Test("isReference agrees with the character check")
    func agrees() {
        let chosen = [
            "${env:TOKEN}", "${env:}", "${env:", "}", "${env:A}", "${env:_A1}", "${env:1A}", "${env:a}", "${ENV:A}", "${env:A}}",
            "${env:A} ", " ${env:A}", "${env:A\r\n}", "${env:A}\u{301}", "${env:\u{301}A}", "${env:É}", "", "$", "${env:A_B_9}",
            "${env:A-B}", "${env:A}${env:B}",
        ]
        for text in chosen { #expect(PlaintextSecretRule.isReference(text) == Self.reference(text), "\(text.debugDescription)") }
        var rng = SplitMix64(seed: 0x5EC_2E7)
        let pieces = ["${env:", "${", "env:", "}", "A", "Z", "_", "9", "a", "-", " ", "\r\n", "\u{301}", "É", "$", "{", "TOKEN"]
        var references = 0
        for _ in 0..<20_000 {
            var text = rng.next() % 2 == 0 ? "${env:" : ""
            for _ in 0..<Int(rng.next() % 5) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if rng.next() % 2 == 0 { text += "}" }
            let expected = Self.reference(text)
            #expect(PlaintextSecretRule.isReference(text) == expected, "\(text.debugDescription)")
            if expected { references += 1 }
        }
        #expect(references > 200)
    }
}
