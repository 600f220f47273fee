import EscalationCore
import Testing

@testable import EscalationYAML

/// `YAMLDocument.isNull` reads a node's record once and compares a null word's bytes in place. This holds it to the
/// rule as it was written before, over `isPlain`, `tag`, `isTagWritten` and `isNullWord`, on every node of random
/// documents: scalars near the null words (case variants, one byte more or less, non-ASCII), in every style, with no
/// tag, the non-specific `!`, `!!str`, `!!null`, `!!int` or a custom tag; and the composer's random documents.
@Suite struct NullRuleTests {
    /// The rule over the single accessors, as `isNull` was written before, with YAML 1.1's null words as text (the
    /// document's `isNullWord` shares `isNull`'s byte check, so it is no oracle).
    static func oracle(_ document: YAMLDocument, _ node: YAMLNode) -> Bool {
        guard document.isPlain(node) else { return false }
        let written = document.tag(node)
        return written == .null || written == .str && !document.isTagWritten(node) && ["", "~", "null", "Null", "NULL"].contains(document.string(node))
    }

    static let words = [
        "", "~", "~~", "null", "Null", "NULL", "nULL", "NuLL", "nulL", "NUll", "NULl", "nUll", "nul", "nulls", "Nul",
        "none", "x", "Nil", "1", "n\u{FC}ll", "\u{E9}\u{E9}", "n\u{FC}l", "ull", "-", "true",
    ]
    static let tags = ["", "! ", "!!str ", "!!null ", "!!int ", "!custom "]

    @Test func nullAgreesWithTheRuleOverTheAccessors() throws {
        var rng = SplitMix64(seed: 0x4E55_4C4C)
        func below(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
        var checked = 0
        var nulls = 0
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<(1 + below(8)) {
                let word = Self.words[below(Self.words.count)]
                let styled: String
                switch below(5) {
                case 0: styled = "'\(word)'"
                case 1: styled = "\"\(word)\""
                case 2: styled = "|\n    \(word)"
                default: styled = word
                }
                let tag = Self.tags[below(Self.tags.count)]
                text += below(2) == 0 ? "- \(tag)\(styled)\n" : "- k: \(tag)\(styled)\n"
            }
            guard let document = try? YAMLComposer.compose(text) else { continue }
            for index in document.records.indices {
                let node = YAMLNode(index: Int32(index))
                let expected = Self.oracle(document, node)
                #expect(document.isNull(node) == expected, "node \(index) of \(text)")
                checked += 1
                if expected { nulls += 1 }
            }
        }
        var random = RandomYAML(seed: 0x4E55)
        for _ in 0..<1_000 {
            guard let document = try? YAMLComposer.compose(random.document()) else { continue }
            for index in document.records.indices {
                let node = YAMLNode(index: Int32(index))
                #expect(document.isNull(node) == Self.oracle(document, node))
                checked += 1
            }
        }
        #expect(checked > 20_000)
        #expect(nulls > 1_000)
    }
}
