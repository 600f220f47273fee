import Foundation
import Testing
import Yams

@testable import EscalationPolicy
@testable import EscalationYAML

/// `YAMLError.message(in:)` against `YamlError`'s description, kept here as the oracle (the simulator's readers put
/// Yams' text in their messages): the same words, context, marks, source line and caret for every error of 6,000
/// random documents, the repository's broken fixtures and chosen corner cases (non-ASCII and UTF-16 columns, CRLF,
/// a control character, duplicate keys, a second document, an undefined alias, the end of the text).
@Suite struct YAMLErrorMessageTests {
    /// What each composer says about `text`: "composed", or the error's text.
    static func messages(_ text: String) -> (yams: String, ours: String) {
        let yams: String
        do {
            _ = try Yams.compose(yaml: text, .basic, .default, .utf8)
            yams = "composed"
        } catch {
            yams = "\(error)"
        }
        let ours: String
        do {
            _ = try YAMLComposer.compose(text)
            ours = "composed"
        } catch {
            ours = error.message(in: text)
        }
        return (yams, ours)
    }

    @Test func agreesWithYamsOnRandomDocuments() {
        var generator = RandomYAML(seed: 41)
        var kinds: [String: Int] = [:]
        for _ in 0..<6_000 {
            let text = generator.document()
            let (yams, ours) = Self.messages(text)
            #expect(ours == yams, "\(text.debugDescription)")
            for kind in ["reader", "scanner", "parser", "composer", "duplicated"] where yams.contains(kind) { kinds[kind, default: 0] += 1 }
        }
        for kind in ["reader", "scanner", "parser", "composer", "duplicated"] { #expect(kinds[kind, default: 0] > 20, "\(kind): \(kinds)") }
    }

    @Test func agreesWithYamsOnChosenDocuments() {
        let texts = [
            "a: \u{7}\n", "\u{E9}\u{E9}: x\nb: \u{7}\n", "a: 1\r\nb: \"x\r\n", "\ta: 1\n", "a: b: c\n", "a:\n  b: 1\n c: 2\n", "a: [1, 2\n",
            "a: { b: 1\n", "- a\nb: 1\n", "a: 1\n---\nb: 2\n", "a: *x\n", "a: 1\na: 2\n", "b: 1\na: 2\nb: 3\na: 4\n", "\u{E9}: 1\ne\u{301}: 2\n",
            "\u{1F600}\u{1F600}: \"x\n", "x: \u{1F600} [\n", "a: \"x", "a: 'x", "k: v\n\u{85}b: \"x\n", "a: 1\n\u{2028}b: [\n", "- \u{0}\n",
            "\u{FEFF}a: \"x\n", "? [a, b]\n: 1\n? [a, b]\n: 2\n", "a:\n- 1\n - 2\n", "%YAML 2.0\n---\na\n", "!<>\n", "&a [*b]\n",
        ]
        var errors = 0
        for text in texts {
            let (yams, ours) = Self.messages(text)
            #expect(ours == yams, "\(text.debugDescription)")
            if yams != "composed" { errors += 1 }
        }
        #expect(errors > 20)
    }

    @Test func agreesWithYamsOnTheBrokenFixtures() throws {
        let folder = YAMLComposerTests.root.appendingPathComponent("Tests/EscalationLintTests/Fixtures/broken")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        var errors = 0
        for name in names {
            guard let text = String(data: try Data(contentsOf: folder.appendingPathComponent(name)), encoding: .utf8) else { continue }
            let (yams, ours) = Self.messages(text)
            #expect(ours == yams, "\(name)")
            if yams != "composed" { errors += 1 }
        }
        #expect(errors > 3)
    }
}
