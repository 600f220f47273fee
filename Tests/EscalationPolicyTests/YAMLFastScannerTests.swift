import EscalationCore
import Foundation
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// `YAMLFastScanner` against libyaml (the composer with the fast path switched off, `composeWithLibYAML`): whenever
/// the fast path composes a text, libyaml must compose it too, to the same document (records with kinds, styles,
/// tags, marks and value ranges; the value bytes; the children; the tag names; the root). Whenever libyaml throws,
/// the fast path must have declined. Run on every YAML file of the repository (the bundled policies and examples
/// must take the fast path), on the composer's random documents, on 20,000 random edits of the bundled policy files,
/// and on chosen corner cases.
@Suite struct YAMLFastScannerTests {
    enum Outcome: Equatable {
        case declined, same, differs(String), acceptedError(String)
    }

    /// The fast path's result for `text` against libyaml's.
    static func check(_ text: String) -> Outcome {
        let fast = YAMLComposer.composeFast(text)
        let slow: YAMLDocument
        do {
            slow = try YAMLComposer.composeWithLibYAML(text)
        } catch {
            return fast == nil ? .declined : .acceptedError(YAMLRendering.render(error))
        }
        guard let fast else { return .declined }
        if let difference = difference(fast, slow) { return .differs(difference) }
        return .same
    }

    /// Where two documents differ, or nil.
    static func difference(_ a: YAMLDocument, _ b: YAMLDocument) -> String? {
        if a.root != b.root { return "root \(String(describing: a.root)) \(String(describing: b.root))" }
        if a.records.count != b.records.count { return "record count \(a.records.count) \(b.records.count)" }
        for (index, (x, y)) in zip(a.records, b.records).enumerated() {
            let same = x.kind == y.kind && x.style == y.style && x.tagWritten == y.tagWritten && x.tag == y.tag && x.line == y.line
                && x.column == y.column && x.start == y.start && x.count == y.count
            if !same { return "record \(index): \(x) \(y)" }
        }
        if a.bytes != b.bytes { return "bytes \(String(decoding: a.bytes, as: UTF8.self).debugDescription) \(String(decoding: b.bytes, as: UTF8.self).debugDescription)" }
        if a.children != b.children { return "children" }
        if a.tagNames != b.tagNames { return "tag names" }
        let left = a.root.map { YAMLRendering.render($0, in: a) } ?? "nil"
        let right = b.root.map { YAMLRendering.render($0, in: b) } ?? "nil"
        return left == right ? nil : "rendering \(left) \(right)"
    }

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func yamlFiles(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in walker where url.pathExtension == "yaml" || url.pathExtension == "yml" { files.append(url) }
        return files.sorted { $0.path < $1.path }
    }

    static func texts(under folder: String) throws -> [(String, String)] {
        try yamlFiles(under: root.appendingPathComponent(folder)).compactMap { url in
            PolicyLoader.decode(try Data(contentsOf: url)).map { (url.path, $0) }
        }
    }

    @Test func agreesWithLibYAMLOnEveryYAMLFileOfTheRepository() throws {
        var all = 0
        var fast = 0
        for folder in ["policies", "Tests", "examples", "Sources"] {
            for (path, text) in try Self.texts(under: folder) {
                let outcome = Self.check(text)
                #expect(outcome == .same || outcome == .declined, "\(path): \(outcome)")
                all += 1
                if outcome == .same { fast += 1 }
                // The bundled organisations and examples are the subset's reason to be: they must take the fast path.
                if folder == "policies" || folder == "examples" { #expect(outcome == .same, "\(path) declined at line \(Self.declinedLine(text) ?? 0)") }
            }
        }
        #expect(all > 100)
        #expect(fast > 60, "\(fast) of \(all)")
    }

    /// An optional corpus (`YAML_FAST_CORPUS`, a folder, e.g. generated organisations): every file must take the
    /// fast path and agree.
    @Test func takesTheFastPathOnAnOptionalCorpus() throws {
        guard let folder = ProcessInfo.processInfo.environment["YAML_FAST_CORPUS"] else { return }
        var count = 0
        for url in Self.yamlFiles(under: URL(fileURLWithPath: folder)) {
            guard let text = PolicyLoader.decode(try Data(contentsOf: url)) else { continue }
            let outcome = Self.check(text)
            #expect(outcome == .same, "\(url.path): \(outcome)")
            count += 1
        }
        #expect(count > 0)
    }

    /// The text with every non-ASCII character replaced by an ASCII letter, so that the generator's documents also
    /// reach the fast path.
    static func ascii(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII ? $0 : "x" }))
    }

    @Test func agreesWithLibYAMLOnRandomDocuments() {
        var generator = RandomYAML(seed: 29)
        var accepted = 0
        var libyamlErrors = 0
        for _ in 0..<4_000 {
            let document = generator.document()
            for text in [document, Self.ascii(document)] {
                let outcome = Self.check(text)
                #expect(outcome == .same || outcome == .declined, "\(text.debugDescription): \(outcome)")
                if outcome == .same { accepted += 1 }
                if (try? YAMLComposer.composeWithLibYAML(text)) == nil { libyamlErrors += 1 }
            }
        }
        #expect(accepted > 600, "accepted \(accepted)")
        #expect(libyamlErrors > 500, "libyaml errors \(libyamlErrors)")
    }

    /// One random edit of a text: a character from YAML's indicators inserted, deleted or doubled, a line's indentation
    /// shifted, two lines joined or one split.
    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        func below(_ bound: Int) -> Int { Int(rng.next() % UInt64(max(bound, 1))) }
        let indicators = Array(":-#'\"|>[]{},&*!?\n  ".utf8)
        let at = below(bytes.count + 1)
        switch below(7) {
        case 0: bytes.insert(indicators[below(indicators.count)], at: at)
        case 1: if at < bytes.count { bytes.remove(at: at) }
        case 2: if at < bytes.count { bytes.insert(bytes[at], at: at) }
        case 3, 4:
            // A line's indentation shifted by one or two spaces either way.
            var start = at
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            let shift = [1, 2, -1, -2][below(4)]
            if shift > 0 {
                bytes.insert(contentsOf: [UInt8](repeating: 0x20, count: shift), at: start)
            } else {
                for _ in 0..<(-shift) where start < bytes.count && bytes[start] == 0x20 { bytes.remove(at: start) }
            }
        case 5:
            // Two lines joined.
            if let newline = bytes[at...].firstIndex(of: 0x0A) { bytes.remove(at: newline) }
        default:
            // A line split, the rest indented by 0 to 6 spaces.
            bytes.insert(contentsOf: [0x0A] + [UInt8](repeating: 0x20, count: below(7)), at: at)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func agreesWithLibYAMLOnRandomEditsOfThePolicies() async throws {
        let sources = try Self.texts(under: "policies").map(\.1) + Self.texts(under: "examples").map(\.1)
        #expect(sources.count > 20)
        var rng = SplitMix64(seed: 0x59_414D_4C)
        var accepted = 0
        var declined = 0
        for round in 0..<20_000 {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            var text = sources[round % sources.count]
            for _ in 0..<(1 + Int(rng.next() % 3)) { text = Self.mutate(text, &rng) }
            let outcome = Self.check(text)
            #expect(outcome == .same || outcome == .declined, "\(text.debugDescription): \(outcome)")
            if outcome == .same { accepted += 1 } else { declined += 1 }
        }
        // Most edits stay inside the subset (a changed value, a comment) and some leave it or break the text.
        #expect(accepted > 5_000, "accepted \(accepted)")
        #expect(declined > 2_000, "declined \(declined)")
    }

    @Test func agreesWithLibYAMLOnChosenDocuments() {
        let texts = [
            "", "# only a comment\n", "---\n", "---\n...\n", "a: 1\n---\nb: 2\n", "~\n", "a: &x 1\nb: *x\n", "a: *x\n", "a: &x [*x]\n",
            "a: 1\na: 2\n", "{ a: 1, a: 2 }", "b: 1\na: 2\nb: 3\na: 4\n", "a: 1\n!!int a: 2\n", "? [a, b]\n: 1\n", "\u{FEFF}a: 1\n",
            "a: \u{7}\n", "a: \"x\n", "\ta: 1\n", "a: b: c\n", "a:\n  b: 1\n c: 2\n", "a: [1, 2\n", "a: { b: 1\n", "- a\nb: 1\n",
            "%YAML 1.1\n---\na: 1\n", "a: !!binary aGVsbG8=\n", "<<: { a: 1 }\nb: 2\n", "a: |\n  x\n  y\n", "a: >-\n  x\n  y\n",
            "a: 'it''s'\n", "a: \"\\u00e9\\t\\0\"\n", "x: &a { k: 1 }\ny: &a { k: 2 }\nz: *a\n", "- &a a\n- *a\n- &a b\n- *a\n",
            // Empty values and items, at the end and in the middle.
            "key:", "key:\n", "a:\nb: 1\n", "a:\n  # c\nb:\n", "- \n- a\n-\n", "-", "a:\n- x\n-\nb:\n", "a:\n  -\n  - b\n",
            // Comments after values and after block scalar headers; `#` inside a plain scalar.
            "a: b #c\n", "a: b#c\n", "a: 'b' #c\n", "a: 'b'#c\n", "a: [b] #c\n", "a: | # c\n  x\n", "a: |#c\n  x\n", "a: b # c\n    # d\nb: 1\n",
            "a: b\n  # indented comment\nc: d\n", "  # c\na: 1\n",
            // Quoted scalars and escapes.
            "a: ''\nb: \"\"\n", "a: \"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\/\\ \\e\\a\\b\\v\\f\\r\"\n", "a: \"\\uD800\"\n", "a: \"\\q\"\n", "a: \"\\x4\"\n",
            "'a b': 1\n\"c\": 2\n", "'a' : 1\n", "\"a\":1\n", "a: 'x\n  y'\n", "a: \"x\\\n  y\"\n",
            // Block scalars: leading blank lines, chomping, trailing blank lines, indentation indicators, more-indented
            // lines, blank lines with spaces, the end of the text.
            "a: |\n\n  x\n", "a: |\n   \n  x\n", "a: |\n  \n   \n  x\n", "a: |+\n  x\n\n\n", "a: |-\n  x\n\n\nb: 1\n", "a: |\n  x\n\n\nb: 1\n",
            "a: >\n  x\n  y\n\n  z\n   w\n  v\n", "a: >+\n  x\n\n", "a: |2\n   x\n  y\n", "a: |1\n  x\n", "- |2-\n   x\n", "a: |0\n  x\n",
            "a: |\nb: 1\n", "a: |", "a: >-\n  x", "a: |\n  x\n  ", "a: |\n    x\n  y\n", "- >\n  folded\n  text\n- b\n", "a: |-2\n   x\n",
            "a: |2-\n   x\n", "a: |+2\n  x\n\n", "a: > \n  x\n", "a: |x\n", "a: |\n  x\n # c\nb: 1\n", "a: |\n  x\n  # not a comment\n",
            // `:` inside plain scalars, `-` starts, multi-word values, flow indicators in block scalars.
            "a: http://x:80/y\n", "a: 10:00\n", "url: a:b\n", "a: -1\n", "-a: 1\n", "a: b c  \n", "a: x]y{z,w\n", "a: -\n", "a: - b\n",
            "key : value\n", "a: b:\n",
            // Compact and nested sequences and mappings.
            "- - a\n  - b\n- c\n", "- a: 1\n  b: 2\n- c: 3\n", "- a: 1\n   b: 2\n", "- - - x\n", "a:\n  - b: 1\n    c:\n      - d\n",
            "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n", "  a: 1\n  b: 2\n", "  a: 1\nb: 2\n", "- a\n  - b\n",
            // Flow collections.
            "a: []\nb: {}\n", "a: [b, c,]\n", "a: [b, , c]\n", "a: {b: 1}\n", "a: { b: }\n", "a: { b }\n", "a: [b: c]\n", "a: [ {b: 1}, [c] ]\n",
            "notify: [{ route: x }]\n", "a: [\"b\", 'c']\n", "a: { \"b\": 1 }\n", "a: {b:1}\n", "a: [b #c\n]\n", "a: [b\n, c]\n", "a: [a:b]\n",
            "a: [*x]\n", "a: [&x b]\n", "a: [b]c\n", "a: [b] c\n", "a: [-1, -x]\n",
            // Anchors and aliases.
            "a: &x\n  b: 1\nc: *x\n", "a: &x\n- b\n", "a: &x\nb: 1\n", "- &x\n  a: 1\n- *x\n", "a: &x |\n  t\nb: *x\n", "- &x k: v\n",
            "a: &x-y_1 v\nb: *x-y_1\n", "a: &x v\nb: *x \n", "a: *x : b\n", "a: & v\n",
            // Document markers, directives and tags are declined.
            "---\na: 1\n", "a: 1\n...\n", "a: 1\n--- \n", "...a: 1\n", "a: !x b\n", "? a\n: b\n", "a: 1\n\n\n", "a: 1",
            "a:\n\n  b: 1\n", "a:\n  b: 1\n\n  c: 2\n", "a:\n b: 1\n",
        ]
        // Keys near libyaml's 1,024-character limit on simple keys, in block and flow.
        let long = [999, 1_000, 1_001, 1_030].flatMap { count -> [String] in
            let key = String(repeating: "k", count: count)
            return ["\(key): v\n", "- \(key): v\n", "a: { \(key): v }\n", "'\(key)': v\n"]
        }
        var fast = 0
        for text in texts + long {
            let outcome = Self.check(text)
            #expect(outcome == .same || outcome == .declined, "\(text.debugDescription): \(outcome)")
            if outcome == .same { fast += 1 }
        }
        #expect(fast > 70, "\(fast) of \(texts.count)")
    }

    /// `compose` gives libyaml's result whichever path it takes, errors included.
    @Test func composeFallsBackToLibYAML() {
        for text in ["a: 1\n", "a: \"x\n", "a: 1\na: 2\n", "a: *x\n", "a: !!int 1\n", "", "\u{E9}: 1\n"] {
            #expect(YAMLRendering.composer(text) == YAMLRendering.yams(text), "\(text.debugDescription)")
        }
    }
}

extension YAMLFastScannerTests {
    /// Where the fast path declines `text` (the line from 1), or nil when it reads it.
    static func declinedLine(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { buffer in
            var scanner = YAMLFastScanner(text: buffer, composer: YAMLComposer(reservingFor: buffer.count))
            return scanner.run() == nil ? scanner.declinedLine : nil
        }
    }
}

extension YAMLFastScannerTests {
    /// Random documents inside or at the edge of the subset (ASCII, no tags): block mappings and sequences nested
    /// at random indentations, block scalars with random headers, indentation, blank lines (with and without spaces),
    /// trailing spaces and comment-like lines, quoted scalars with escapes, plain scalars with `:`, `#` and `-`, flow
    /// collections, anchors and aliases, comments at random indentation, and sometimes one line over-indented.
    struct SubsetYAML {
        var rng: SplitMix64
        var anchors: [String] = []

        mutating func below(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
        mutating func pick(_ choices: [String]) -> String { choices[below(choices.count)] }

        mutating func plain() -> String {
            pick(["a", "b c", "x:y", "a#b", "-1", "10:00", "http://h:1/p", "v ", "k.e-y", "<<", "~", "a ,b", "x]y", "1.5", "t'q", "q\"t"])
        }

        mutating func scalar() -> String {
            switch below(9) {
            case 0: return "'" + pick(["", "it''s", "a b", "#x", ": y"]) + "'"
            case 1: return "\"" + pick(["", "\\n\\t", "\\u00e9", "\\x41", "\\\"q\\\"", "a\\\\b", "\\U0001F600", "\\z"]) + "\""
            case 2 where !anchors.isEmpty: return "*" + anchors[below(anchors.count)]
            case 3: return "[" + (0..<below(4)).map { _ in pick(["a", "'b'", "\"c\"", "{ d: e }", "[f]", "-1", "x:y"]) }.joined(separator: ", ") + "]"
            case 4: return "{ " + (0..<below(3)).map { index in "k\(index): " + pick(["v", "'w'", "[x]", "1:2"]) }.joined(separator: ", ") + " }"
            default: return plain()
            }
        }

        mutating func blockScalar(indent: Int) -> String {
            var text = pick(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1", "|2-", "|-1", "|+2"]) + pick(["", " ", " # c"]) + "\n"
            let base = indent + 1 + below(3)
            for _ in 0..<below(6) {
                switch below(6) {
                case 0: text += "\n"
                case 1: text += String(repeating: " ", count: below(base + 3)) + "\n"
                case 2: text += String(repeating: " ", count: base + 1 + below(2)) + pick(["more", "# deep"]) + "\n"
                default: text += String(repeating: " ", count: base) + pick(["line", "two words", "# text", "- x", "k: v", "t  "]) + "\n"
                }
            }
            return text
        }

        /// A value after `key:` or `-` (the text starting right after the indicator).
        mutating func value(indent: Int, depth: Int) -> String {
            var anchor = ""
            if below(8) == 0 {
                let name = "n\(below(5))"
                anchors.append(name)
                anchor = " &" + name
            }
            switch below(10) {
            case 0, 1 where depth < 4: return anchor + pick(["", " # c"]) + "\n" + mapping(indent: indent + 1 + below(3), depth: depth + 1)
            case 2 where depth < 4: return anchor + "\n" + sequence(indent: indent + below(2) * (1 + below(2)), depth: depth + 1)
            case 3: return anchor + " " + blockScalar(indent: indent)
            case 4: return anchor.isEmpty ? pick(["", " ", " # c"]) + "\n" : " x\n"
            default: return anchor + " " + scalar() + pick(["", "", " # c", "#c"]) + "\n"
            }
        }

        mutating func mapping(indent: Int, depth: Int) -> String {
            let pad = String(repeating: " ", count: indent)
            var text = ""
            for index in 0..<(1 + below(4)) {
                if below(6) == 0 { text += String(repeating: " ", count: below(8)) + "# note\n" }
                if below(12) == 0 { text += "\n" }
                let key = below(8) == 0 ? pick(["'q k'", "\"d\"", "k k", "a:b"]) : "k\(index)"
                text += (below(40) == 0 ? " " : "") + pad + key + pick([":", ":", " :"]) + value(indent: indent, depth: depth)
            }
            return text
        }

        mutating func sequence(indent: Int, depth: Int) -> String {
            let pad = String(repeating: " ", count: indent)
            var text = ""
            for _ in 0..<(1 + below(4)) {
                if below(10) == 0, depth < 4 {
                    text += pad + "- " + "k: " + scalar() + "\n" + pad + "  j:" + value(indent: indent + 2, depth: depth + 1)
                } else if below(12) == 0, depth < 4 {
                    text += pad + "- - " + scalar() + "\n"
                } else {
                    text += pad + "-" + value(indent: indent, depth: depth)
                }
            }
            return text
        }

        mutating func document() -> String {
            anchors = []
            var text = below(5) == 0 ? sequence(indent: 0, depth: 0) : mapping(indent: 0, depth: 0)
            if below(3) == 0 { text = String(text.dropLast()) }
            return text
        }
    }

    @Test func agreesWithLibYAMLOnRandomSubsetDocuments() {
        var generator = SubsetYAML(rng: SplitMix64(seed: 0x5CA7))
        var accepted = 0
        var declined = 0
        for _ in 0..<10_000 {
            let text = generator.document()
            let outcome = Self.check(text)
            #expect(outcome == .same || outcome == .declined, "\(text.debugDescription): \(outcome)")
            if outcome == .same { accepted += 1 } else { declined += 1 }
        }
        #expect(accepted > 3_500, "accepted \(accepted)")
        #expect(declined > 2_000, "declined \(declined)")
    }
}
