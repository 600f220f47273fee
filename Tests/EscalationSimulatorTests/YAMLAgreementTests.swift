import EscalationCore
import EscalationYAML
import Testing

@testable import EscalationPolicy
@testable import EscalationSimulator

/// The simulator's readers and the policy loader read YAML through one composer and one null rule: incident fields
/// read by `IncidentFieldsReader` and by a policy test case (`PolicyTestFile`) against the same mapping read by the
/// loader's `DocumentReader` (its pairs, merges applied, and its `isNull`), flattened alike, on tricky scalars. Each
/// case also pins the expected fields, so a change of either side fails.
@Suite struct YAMLAgreementTests {
    /// The loader's reading of a mapping of fields, flattened as incident fields are (nested maps with dots, lists
    /// joined with ", ", nulls left out).
    static func loaderFields(_ text: String) throws -> [String: String] {
        let document = try YAMLComposer.compose(text)
        guard let root = document.root else { return [:] }
        let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: DiagnosticSink())
        var result: [String: String] = [:]
        func walk(_ node: YAMLNode, _ prefix: String) {
            for pair in reader.pairs(node, what: "the fields") ?? [] {
                let name = prefix + pair.key
                if reader.isMapping(pair.value) {
                    walk(pair.value, name + ".")
                } else if reader.isSequence(pair.value) {
                    result[name] = document.items(pair.value).filter { reader.isScalar($0) && !reader.isNull($0) }.map(reader.text)
                        .joined(separator: ", ")
                } else if !reader.isNull(pair.value) {
                    result[name] = reader.text(pair.value)
                }
            }
        }
        walk(root, "")
        return result
    }

    /// The fields of the one case of a test file whose case has `fields` written as `text` (indented under it).
    static func testCaseFields(_ text: String) throws -> [String: String] {
        let indented = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "      " + $0 }.joined(separator: "\n")
        let file = try PolicyTestFile.parse(text: "tests:\n  - name: t\n    fields:\n" + indented, path: "t.yaml")
        return file.cases.first?.scenario.fields ?? [:]
    }

    /// Checks that all three readings give `expected`.
    static func check(_ text: String, _ expected: [String: String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(try loaderFields(text) == expected, "loader: \(text)", sourceLocation: sourceLocation)
        #expect(try IncidentFieldsReader.parse(text, file: "f.yaml") == expected, "fields reader: \(text)", sourceLocation: sourceLocation)
        #expect(try testCaseFields(text) == expected, "test case: \(text)", sourceLocation: sourceLocation)
    }

    @Test func nullSpellings() throws {
        try Self.check(
            "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: 'null'\ng: \"~\"\nh: !!null x\ni: nUll\nj: '~'\nk: [~, x, null, '']\nl: !!str null\n"
                + "m: ! null\nn: !!str ~\no: !!str\np: [!!str null, ! ~]\n",
            ["f": "null", "g": "~", "i": "nUll", "j": "~", "k": "x, ", "l": "null", "n": "~", "o": "", "p": "null"])
    }

    @Test func booleansStayAsWritten() throws {
        try Self.check("a: yes\nb: Off\nc: true\nd: 'no'\ne: FALSE\nf: y\ng: !!bool on\n", ["a": "yes", "b": "Off", "c": "true", "d": "no", "e": "FALSE", "f": "y", "g": "on"])
    }

    @Test func numbersStayAsWritten() throws {
        try Self.check(
            "a: 0o17\nb: 0x1F\nc: 017\nd: +12\ne: 1_000\nf: 1:30\ng: .inf\nh: -0.5e3\ni: !!int 7\nj: '12'\n",
            ["a": "0o17", "b": "0x1F", "c": "017", "d": "+12", "e": "1_000", "f": "1:30", "g": ".inf", "h": "-0.5e3", "i": "7", "j": "12"])
    }

    @Test func timestampsStayAsWritten() throws {
        try Self.check(
            "a: 2026-01-05\nb: 2026-01-05T10:00:00Z\nc: 2026-01-05 10:00:00 +01:00\nsession: { start: 2026-03-09T10:00 }\n",
            ["a": "2026-01-05", "b": "2026-01-05T10:00:00Z", "c": "2026-01-05 10:00:00 +01:00", "session.start": "2026-03-09T10:00"])
    }

    @Test func quotedAndPlainScalars() throws {
        try Self.check(
            "a: ' x '\nb: \"tab\\there\"\nc: plain  text\nd: |\n  two\n  lines\ne: >-\n  folded\n  text\nf: 'it''s'\ng: \"\\u00e9\"\n",
            ["a": " x ", "b": "tab\there", "c": "plain  text", "d": "two\nlines\n", "e": "folded text", "f": "it's", "g": "\u{E9}"])
    }

    @Test func anchorsAndAliases() throws {
        try Self.check(
            "a: &v hello\nb: *v\nc: &n ~\nd: *n\ne: &m { x: 1 }\nf: *m\ng: &l [p, q]\nh: *l\n",
            ["a": "hello", "b": "hello", "e.x": "1", "f.x": "1", "g": "p, q", "h": "p, q"])
    }

    @Test func mergeKeys() throws {
        try Self.check(
            "base: &b { x: 1, y: ~, z: 3 }\n<<: *b\ny: 2\n",
            ["base.x": "1", "base.z": "3", "x": "1", "y": "2", "z": "3"])
        try Self.check("<<: [{ a: 1 }, { a: 2, b: 2 }]\nc: 3\n", ["a": "1", "b": "2", "c": "3"])
        try Self.check("'<<': { a: 1 }\n", ["<<.a": "1"])
        try Self.check("!!str <<: { a: 1 }\nb: 2\n", ["<<.a": "1", "b": "2"])
        try Self.check("! <<: { a: 1 }\nb: 2\n", ["a": "1", "b": "2"])
    }

    @Test func duplicateKeysAreRefusedAlike() throws {
        for text in ["a: 1\na: 2\n", "'1': a\n1: b\n", "true: a\n\"true\": b\n", "\u{E9}: 1\ne\u{301}: 2\n", "a: 1\n!!str a: 2\n"] {
            #expect(throws: YAMLError.self, "\(text)") { try YAMLComposer.compose(text) }
            #expect(throws: IncidentFieldsReader.Problem.self, "\(text)") { try IncidentFieldsReader.parse(text, file: "f.yaml") }
            #expect(throws: ScenarioFile.ReadError.self, "\(text)") { try Self.testCaseFields(text) }
        }
        // Keys with different tags are different keys, for both.
        try Self.check("1: a\n!!int 1: b\n", ["1": "b"])
        do {
            _ = try IncidentFieldsReader.parse("b: 1\na: 2\nb: 3\na: 4\n", file: "f.yaml")
            Issue.record("no error")
        } catch {
            #expect(
                error.description
                    == "f.yaml: not valid JSON or YAML: Parser: expected all keys to be unique but found the following duplicated key(s): 'a', 'b'.\nContext:\nb: 1\na: 2\nb: 3\na: 4\n in line 2, column 1\n"
            )
        }
    }
}
