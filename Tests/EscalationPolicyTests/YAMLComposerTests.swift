import EscalationCore
import Foundation
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// `YAMLComposer` against `Yams.compose` (the loader's composer before, kept here as the oracle): the same nodes
/// (kind, resolved tag, scalar style, mark, text, items; aliases as the node they name) and the same errors (kind,
/// context, problem, marks; duplicate keys and where), on every YAML file of the repository and on 6,000 random
/// documents, a quarter of them damaged.
@Suite struct YAMLComposerTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func agreesWithYamsOnEveryYAMLFileOfTheRepository() throws {
        var files: [URL] = []
        for folder in ["policies", "Tests", "examples", "Sources"] {
            guard let walker = FileManager.default.enumerator(at: Self.root.appendingPathComponent(folder), includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.pathExtension == "yaml" || url.pathExtension == "yml" { files.append(url) }
        }
        #expect(files.count > 100)
        var failed = 0
        for file in files {
            let data = try Data(contentsOf: file)
            guard let text = PolicyLoader.decode(data) else { continue }
            let yams = YAMLRendering.yams(text)
            #expect(YAMLRendering.composer(text) == yams, "\(file.path)")
            if yams.hasPrefix("S(") == false, yams.hasPrefix("M(") == false, yams.hasPrefix("Q(") == false { failed += 1 }
        }
        // The broken fixtures fail to compose; the rest compose.
        #expect(failed > 5)
    }

    @Test func agreesWithYamsOnRandomDocuments() {
        var generator = RandomYAML(seed: 15)
        var errors: [String: Int] = [:]
        var composed = 0
        for _ in 0..<6_000 {
            let text = generator.document()
            let yams = YAMLRendering.yams(text)
            let ours = YAMLRendering.composer(text)
            #expect(ours == yams, "\(text.debugDescription)")
            if let kind = yams.split(separator: " ").first, ["reader", "scanner", "parser", "composer", "duplicates"].contains(kind) {
                errors[String(kind), default: 0] += 1
            } else {
                composed += 1
            }
        }
        #expect(composed > 2_000)
        for kind in ["reader", "scanner", "parser", "composer", "duplicates"] { #expect(errors[kind, default: 0] > 20, "\(kind): \(errors)") }
    }

    @Test func agreesWithYamsOnChosenDocuments() {
        let texts = [
            "", "# only a comment\n", "---\n", "---\n...\n", "a: 1\n---\nb: 2\n", "~\n", "a: &x 1\nb: *x\n", "a: *x\n", "a: &x [*x]\n",
            "a: 1\na: 2\n", "{ a: 1, a: 2 }", "b: 1\na: 2\nb: 3\na: 4\n", "\u{E9}: 1\ne\u{301}: 2\n", "K: 1\n\u{212A}: 2\n", "a: 1\n!!int a: 2\n",
            "? [a, b]\n: 1\n? [a, b]\n: 2\n", "? { k: v }\n: 1\n? { k: v }\n: 2\n", "\u{FEFF}a: 1\n", "a: \u{7}\n", "a: \"x\n", "\ta: 1\n",
            "a: b: c\n", "a:\n  b: 1\n c: 2\n", "a: [1, 2\n", "a: { b: 1\n", "- a\nb: 1\n", "%YAML 1.1\n---\na: 1\n", "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
            "a: !!binary aGVsbG8=\n", "<<: { a: 1 }\nb: 2\n", "a: |\n  x\n  y\n", "a: >-\n  x\n  y\n", "a: 'it''s'\n", "a: \"\\u00e9\\t\\0\"\n",
            "x: &a { k: 1 }\ny: &a { k: 2 }\nz: *a\n", "- &a a\n- *a\n- &a b\n- *a\n",
        ]
        for text in texts {
            #expect(YAMLRendering.composer(text) == YAMLRendering.yams(text), "\(text.debugDescription)")
        }
    }
}
