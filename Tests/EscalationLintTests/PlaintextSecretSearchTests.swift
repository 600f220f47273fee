import EscalationCore
@testable import EscalationLint
import Foundation
import Testing

/// `PlaintextSecretRule` searches setting names and values without Foundation's string search, and reads ASCII names
/// and values byte by byte. This pins its answers against the string searches they replaced, on chosen and thousands
/// of random names and values (non-ASCII and combining marks included, where the string search is kept).
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

    @Test func asciiLooksSecretAgrees() {
        // ASCII paths only (the byte path), with the parts that move the answer: dots, brackets, case, CR LF.
        let ascii = ["token", "Secret", "PASS", "word", "api", "_key", "_KEY", "key", "auth", ".", "..", "[0]", "[", "a", "_", "\r\n", "x"]
        var rng = SplitMix64(seed: 32)
        var secret = 0
        let chosen = ["", ".", "...", "a..token", "token.", "x.y_key", "tokens[0].url", "[token]", "a.[secret]", "ab_key.", "_key"]
        for path in chosen + (0..<20_000).map({ _ in (0..<Int(rng.next() % 7)).map { _ in ascii[Int(rng.next() % UInt64(ascii.count))] }.joined() }) {
            let expected = Self.referenceLooksSecret(path)
            #expect(PlaintextSecretRule.looksSecret(path) == expected, "\(path.debugDescription)")
            if expected { secret += 1 }
        }
        #expect(secret > 2_000)
        #expect(secret < 18_000)
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

    /// `malformedReference(in:)` as it was, with Foundation's search on every text (the oracle for the byte scan).
    static func referenceMalformedReference(in text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return nil }
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            let after = rest[open.upperBound...]
            guard after.lowercased().hasPrefix("env") else {
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else { return "it has no closing '}'" }
            let inner = after[..<close]
            rest = after[after.index(after: close)...]
            guard inner.hasPrefix("env") else { return "the prefix must be lower-case 'env:'" }
            guard inner.hasPrefix("env:") else { return "write a colon after 'env', as in ${env:NAME}" }
            let name = inner.dropFirst("env:".count)
            if name.isEmpty { return "the variable name is empty" }
            if !PlaintextSecretRule.isVariableName(name) {
                return "the variable name must be upper-case letters, digits and '_', not starting with a digit"
            }
        }
        return nil
    }

    static let referencePieces = [
        "${", "$", "{", "}", "env", "ENV", "Env", "eNv", "en", "v", ":", "env:", "${env:", "NAME", "A", "Z", "_", "9", "1x", "a", " ",
        "\r\n", "\r", "\n", "$$", "{{", "}}", "é", "e\u{301}", "日", "🙂", "E",
    ]

    @Test func malformedReferenceAgreesWithFoundationSearch() {
        var rng = SplitMix64(seed: 31)
        let chosen = [
            "${env:OK}", "${env:lower}", "${ENV:X}", "${env:}", "${env", "${envX}", "${env:A B}", "x ${env:A}${env:_9}", "$${env:A}",
            "${e", "${Env:A}", "${env:A}}", "${foo}${env:1A}", "${env\r\n:A}", "${env:A\r\n}", "é${env:a}",
        ]
        var ascii = 0
        var problems = Set<String>()
        for text in chosen + (0..<20_000).map({ _ in (0..<Int(rng.next() % 10)).map { _ in Self.referencePieces[Int(rng.next() % UInt64(Self.referencePieces.count))] }.joined() }) {
            let expected = Self.referenceMalformedReference(in: text)
            #expect(PlaintextSecretRule.malformedReference(in: text) == expected, "\(text.debugDescription)")
            if text.utf8.allSatisfy({ $0 < 0x80 }) && text.contains("$") { ascii += 1 }
            if let expected { problems.insert(expected) }
        }
        // Many ASCII texts reach the byte scan, and every answer (each problem) is drawn.
        #expect(ascii > 3_000)
        #expect(problems.count == 5)
    }
}
