import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// `DocumentReader.Fields` looks keys up by comparing their bytes with the key asked for. This pins the value, key
/// location and missing-key diagnostics against a search of the pairs by key text, on 2,000 random mappings (repeated keys through
/// `<<` merges, null values, keys outside the allowed set).
@Suite struct FieldsLookupTests {
    @Test func lookupsAgreeWithASearchOfThePairs() throws {
        let keys = ["a", "b", "c", "d", "<<"]
        let values = ["1", "~", "", "x y", "{ a: 1, e: 2 }", "[1]", "null"]
        var state: UInt64 = 99
        func below(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var checked = 0
        for _ in 0..<2_000 {
            var seen = Set<String>()
            var text = ""
            for _ in 0..<(1 + below(5)) {
                let key = keys[below(keys.count)]
                guard seen.insert(key).inserted else { continue }
                text += "\(key): \(key == "<<" ? "{ a: 7, d: ~ }" : values[below(values.count)])\n"
            }
            let document = try YAMLComposer.compose(text)
            guard let node = document.root else { continue }
            let source = SourceText(file: "f.yaml", text: text)
            let sink = DiagnosticSink()
            let reader = DocumentReader(source: source, document: document, sink: sink)
            guard let fields = reader.fields(node, what: "m", allowed: ["a", "b", "d"]) else { continue }
            let before = sink.diagnostics.map(\.location)
            var expected: [EscalationCore.SourceLocation?] = []
            for key in ["a", "b", "c", "d", "e"] {
                let pair = fields.pairs.first { reader.text($0.keyNode) == key }
                #expect(fields[key] == pair.flatMap { reader.isNull($0.value) ? nil : $0.value }, "\(key) in \(text)")
                #expect(fields.keyLocation(key) == pair.map { reader.location($0.keyNode) }, "\(key) in \(text)")
                if fields.required(key) == nil { expected.append(pair.map { reader.location($0.keyNode) } ?? fields.ownerLocation) }
                checked += 1
            }
            // The sink keeps its diagnostics in order of location: compare the locations the lookups added.
            let locations = { (list: [EscalationCore.SourceLocation?]) in list.map { $0.map(\.description) ?? "" }.sorted() }
            #expect(locations(sink.diagnostics.map(\.location)) == locations(before + expected), "\(text)")
        }
        #expect(checked > 5_000)
    }

    /// `fields` keeps the allowed pairs while it looks for unknown keys, instead of filtering the pairs afterwards:
    /// the kept pairs, unknown keys and diagnostics against a filter of `pairs`, on 2,000 random mappings.
    @Test func allowedPairsAgreeWithAFilterOfThePairs() throws {
        let keys = ["a", "b", "c", "d", "e", "<<"]
        let values = ["1", "~", "", "x y", "{ a: 1, e: 2 }", "[1]"]
        let allowed = ["a", "b", "d"]
        var rng = SplitMix64(seed: 31)
        var kept = 0
        for _ in 0..<2_000 {
            let text = rng.mappingText(keys: keys) { key, rng in key == "<<" ? "{ a: 7, c: ~ }" : values[Int(rng.next() % UInt64(values.count))] }
            let document = try YAMLComposer.compose(text)
            guard let node = document.root else { continue }
            let sink = DiagnosticSink()
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: sink)
            guard let all = reader.pairs(node, what: "m"), let fields = reader.fields(node, what: "m", allowed: allowed) else {
                Issue.record("no mapping in \(text)")
                continue
            }
            let filtered = all.filter { allowed.contains($0.key) }
            #expect(fields.pairs.map { reader.text($0.keyNode) } == filtered.map(\.key), "\(text)")
            #expect(fields.pairs.map { reader.location($0.keyNode) } == filtered.map { reader.location($0.keyNode) }, "\(text)")
            #expect(fields.pairs.map(\.value) == filtered.map(\.value), "\(text)")
            #expect(fields.unknownKeys == all.map(\.key).filter { !allowed.contains($0) }, "\(text)")
            reader.reportUnknownKeys()
            #expect(sink.diagnostics.count == fields.unknownKeys.count, "\(text)")
            kept += fields.pairs.count
        }
        #expect(kept > 2_000)
    }

    /// Keys are compared by `YAMLKeyDigest` (byte count and first eight bytes) before their bytes: keys of more than
    /// eight bytes that share their first eight, keys that differ only in length or in the last byte, quoted and
    /// non-ASCII keys. The kept pairs, values and key locations against a search by key text (the oracle), on 3,000
    /// random mappings.
    @Test func digestsFindTheSameKeysAsTheirText() throws {
        let keys = [
            "description", "descriptionx", "descriptio", "descripti", "scope_resolved", "scope_resolves", "a", "ab", "abcdefgh",
            "abcdefgi", "abcdefghi", "abcdefghj", "\"quoted key\"", "é", "\u{00E9}t\u{00E9}", "<<",
        ]
        let asked = [
            "description", "descriptionx", "descriptio", "descripti", "scope_resolved", "scope_resolves", "a", "ab", "abcdefgh",
            "abcdefgi", "abcdefghi", "abcdefghj", "quoted key", "é", "été", "b", "",
        ]
        let allowed = ["description", "descripti", "scope_resolved", "a", "abcdefgh", "abcdefghi", "quoted key", "é"]
        var rng = SplitMix64(seed: 808)
        var found = 0
        for _ in 0..<3_000 {
            let text = rng.mappingText(keys: keys) { key, rng in key == "<<" ? "{ descripti: 7, abcdefghj: ~ }" : ["1", "~", "x"][Int(rng.next() % 3)] }
            let document = try YAMLComposer.compose(text)
            guard let node = document.root else { continue }
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: DiagnosticSink())
            guard let all = reader.pairs(node, what: "m"), let fields = reader.fields(node, what: "m", allowed: allowed) else {
                Issue.record("no mapping in \(text)")
                continue
            }
            // Byte for byte, as `Fields` compares (all keys asked for are ASCII in the loader).
            let same = { (a: String, b: String) in Array(a.utf8) == Array(b.utf8) }
            let kept = all.filter { pair in allowed.contains { same($0, pair.key) } }
            #expect(fields.pairs.map(\.keyNode) == kept.map(\.keyNode), "\(text)")
            for key in asked {
                let pair = kept.first { same($0.key, key) }
                #expect(fields[key] == pair.flatMap { reader.isNull($0.value) ? nil : $0.value }, "\(key) in \(text)")
                #expect(fields.keyLocation(key) == pair.map { reader.location($0.keyNode) }, "\(key) in \(text)")
                if pair != nil { found += 1 }
            }
        }
        #expect(found > 3_000)
    }
}
