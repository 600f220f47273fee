import EscalationCore
@testable import EscalationLint
import Foundation
import Testing

/// `PlaintextSecretRule` searches setting names and values without Foundation's string search. This pins its answers
/// against the Foundation searches it replaced, on chosen and 5,000 random names and values (non-ASCII and combining marks included, where the string search is kept).
@Suite("Plaintext secret search")
struct PlaintextSecretSearchTests {

    /// `looksSecret` as it was, with Foundation's `contains`.
    static func referenceLooksSecret(_ path: String) -> Bool {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        let name = String(last.prefix { $0 != "[" }).lowercased()
        return PlaintextSecretRule.secretWords.contains { name.contains($0) } || name.hasSuffix("_key")
    }

    static let pieces = [
        "token", "secret", "pass", "word", "api", "_key", "key", "auth", "url", "webhook_", "private", ".", "[0]", "a", "Z", "_", "é",
        "ß", "İ", "日", "🙂", "token\u{301}", "\u{301}", "${", "env", "ENV", ":", "}", "NAME", "1", " ", "$", "{", "e\u{301}", "TOKEN",
    ]

    static func random(_ rng: inout SplitMix64) -> String {
        (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    @Test func looksSecretAgrees() {
        var rng = SplitMix64(seed: 28)
        let chosen = ["bot_token", "auth.client_secret", "tokens[0]", "PASSWORD", "api_url", "signing_key", "x.y.z", "", "webhook_url", "İtoken"]
        for path in chosen + (0..<5_000).map({ _ in Self.random(&rng) }) {
            #expect(PlaintextSecretRule.looksSecret(path) == Self.referenceLooksSecret(path), "\(path.debugDescription)")
        }
    }

    @Test func asciiContainsAgreesWithFoundation() {
        var rng = SplitMix64(seed: 29)
        for _ in 0..<5_000 {
            let text = Self.random(&rng)
            for word in PlaintextSecretRule.secretWords + ["${", "e"] {
                #expect(PlaintextSecretRule.contains(text, ascii: word) == (word.isEmpty || text.contains(word)), "\(text.debugDescription) \(word)")
            }
        }
    }

    @Test func malformedReferenceWithoutDollarIsNil() {
        var rng = SplitMix64(seed: 30)
        var checked = 0
        for _ in 0..<5_000 {
            let text = Self.random(&rng)
            // Without a '$' Foundation finds no "${", so the old loop never ran: nil.
            if text.range(of: "${") == nil { #expect(PlaintextSecretRule.malformedReference(in: text) == nil, "\(text.debugDescription)") }
            if !text.contains("$") { checked += 1 }
        }
        #expect(checked > 1_000)
        #expect(PlaintextSecretRule.malformedReference(in: "${env:lower}") != nil)
        #expect(PlaintextSecretRule.malformedReference(in: "${ENV:X}") != nil)
        #expect(PlaintextSecretRule.malformedReference(in: "${env:OK} and ${env:FINE}") == nil)
    }
}
