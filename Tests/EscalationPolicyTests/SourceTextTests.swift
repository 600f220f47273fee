import EscalationCore
import Foundation
import Testing

@testable import EscalationPolicy

/// `SourceText` keeps one array of scalars and where each line starts. This pins every question the loader asks it
/// (lines, characters, occurrences, duplicate keys, aliases, anchors) against the array-per-line version it replaced
/// (`LineSourceText`), on the bundled policies, the lint fixtures and 1,000 random texts (half of them ASCII). In
/// ASCII text `occurrences` searches the bytes (`asciiOccurrences`); the needles include non-ASCII ones, a line break
/// and the empty one, which it leaves to the scalar search.
@Suite struct SourceTextTests {

    /// The repository's root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every YAML file under `policies/` and the lint fixtures.
    static func files() -> [String] {
        var result: [String] = []
        for folder in ["policies", "Tests/EscalationLintTests/Fixtures"] {
            let base = root.appendingPathComponent(folder)
            let enumerator = FileManager.default.enumerator(atPath: base.path)
            while let name = enumerator?.nextObject() as? String {
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"),
                    let text = try? String(contentsOf: base.appendingPathComponent(name), encoding: .utf8)
                else { continue }
                result.append(text)
            }
        }
        return result
    }

    /// Fails unless both versions answer alike on `text`, with `asks` random questions of each kind.
    static func compare(_ text: String, asks: Int, _ rng: inout SplitMix64) {
        let flat = SourceText(file: "f.yaml", text: text)
        let lines = LineSourceText(file: "f.yaml", text: text)
        let count = lines.lines.count
        let what = text.prefix(200).debugDescription
        for line in -1...(count + 1) {
            #expect(flat.text(line: line) == lines.text(line: line), "line \(line) of \(what)")
        }
        #expect(flat.anchors().map(\.name) == lines.anchors().map(\.name), "\(what)")
        #expect(flat.anchors().map(\.location) == lines.anchors().map(\.location), "\(what)")
        let words = ["{{", "}}", ":", "a", "key", "é", "日本", "&", "*x", " ", "{{ ", "a\nb", "\r", ""]
        for _ in 0..<asks {
            let line = Int(rng.next() % UInt64(count + 2))
            let column = Int(rng.next() % 90)
            #expect(flat.character(line: line, column: column) == lines.character(line: line, column: column), "\(line):\(column) of \(what)")
            #expect(flat.alias(line: line, column: column) == lines.alias(line: line, column: column), "\(line):\(column) of \(what)")
            let needle = words[Int(rng.next() % UInt64(words.count))]
            let limit = Int(rng.next() % 9)
            #expect(
                flat.occurrences(of: needle, from: line, column: column, limit: limit)
                    == lines.occurrences(of: needle, from: line, column: column, limit: limit), "\(needle) from \(line):\(column) of \(what)")
            let keyLine = 1 + Int(rng.next() % UInt64(count))
            #expect(
                flat.duplicateKey(key: needle, firstLine: keyLine, column: column)
                    == lines.duplicateKey(key: needle, firstLine: keyLine, column: column), "\(needle) at \(keyLine):\(column) of \(what)")
        }
        // Every `key:` of the text, asked from each earlier line at its column, as the loader asks after YAML's error.
        for (index, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().prefix(300) {
            let trimmed = lineText.drop { $0 == " " }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = String(trimmed[..<colon])
            let column = lineText.count - trimmed.count + 1
            for first in max(1, index - 3)...(index + 1) {
                #expect(
                    flat.duplicateKey(key: key, firstLine: first, column: column) == lines.duplicateKey(key: key, firstLine: first, column: column),
                    "\(key) at \(first):\(column) of \(what)")
            }
        }
    }

    @Test func agreesOnTheBundledPoliciesAndFixtures() async {
        var rng = SplitMix64(seed: 15)
        let files = Self.files()
        #expect(files.count > 50)
        for text in files {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            Self.compare(text, asks: 200, &rng)
        }
    }

    @Test func agreesOnRandomTexts() {
        var rng = SplitMix64(seed: 2_026)
        let alphabet: [String] = [
            "a", "b", "key", ":", " ", "  ", "\n", "\n", "\t", "{", "}", "{{", "}}", ",", "[", "]", "&", "*", "#", "\"", "'", "-", "é", "日",
            "🙂", "\r\n", "\r",
        ]
        var texts = ["", "\n", "\n\n", "a", "a\n", "{{", "&a *a", "é\n日🙂\n"]
        // Half from the ASCII letters only (the byte-per-scalar path), half with other scalars mixed in.
        let asciiOnly = alphabet.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        for round in 0..<1_000 {
            let letters = round % 2 == 0 ? asciiOnly : alphabet
            let length = Int(rng.next() % 120)
            texts.append((0..<length).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }.joined())
        }
        for text in texts { Self.compare(text, asks: 40, &rng) }
    }
}
