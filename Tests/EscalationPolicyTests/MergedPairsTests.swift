import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// The merge rule lives once, in `YAMLDocument.forEachMergedPair`; the loader's `DocumentReader.slots` and the
/// simulator's readers (`YAMLDocument.mergedPairs`) are built on it. Both are compared here with the loader's walk as it
/// was written before (kept below as the oracle) on every mapping of 12,000 random documents, with merge keys naming
/// maps, lists of maps and aliases, repeated and canonically equivalent keys: the same pairs in the same order (key
/// node, value node, merge key) and the same diagnostics. The readers also keep what only the loader reports and drops
/// (a key that is not text, an own merge key whose value is a scalar) as ordinary pairs.
@Suite struct MergedPairsTests {
    @Test func theLoaderAndTheReadersAgreeWithTheOldWalkOnRandomDocuments() {
        var generator = RandomYAML(seed: 23)
        var mappings = 0
        var merging = 0
        var reported = 0
        for _ in 0..<12_000 {
            let text = generator.document()
            guard let document = try? YAMLComposer.compose(text) else { continue }
            for index in document.records.indices where document.records[index].kind == .mapping {
                let node = YAMLNode(index: Int32(index))
                let newSink = DiagnosticSink()
                let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: newSink)
                let loader = (reader.pairs(node, what: "the map") ?? []).map { "\($0.keyNode.index)=\($0.value.index)<\($0.mergeKey?.index ?? -1)" }
                let oldSink = DiagnosticSink()
                let oracle = OldMergeWalk(document: document, reader: DocumentReader(
                    source: SourceText(file: "f.yaml", text: text), document: document, sink: oldSink), sink: oldSink)
                let expected = oracle.slots(node).map { "\($0.key.index)=\($0.value.index)<\($0.mergeKey?.index ?? -1)" }
                #expect(loader == expected, "\(text.debugDescription)")
                #expect(newSink.diagnostics == oldSink.diagnostics, "\(text.debugDescription)")
                reported += newSink.diagnostics.count

                // The readers: the same pairs, with the loader's reported ones kept in place as ordinary pairs.
                let pairs = (0..<document.count(node)).map { (document.key(node, $0), document.value(node, $0)) }
                let ownCount = pairs.filter { !(document.isMergeKey($0.0) && !document.isScalar($0.1)) }.count
                let ours = document.mergedPairs(node).enumerated()
                    .filter { offset, pair in
                        document.isScalar(pair.key) && !(offset < ownCount && document.isMergeKey(pair.key) && document.isScalar(pair.value))
                    }
                    .map { "\($0.element.key.index)=\($0.element.value.index)" }
                #expect(ours == expected.map { String($0.prefix { $0 != "<" }) }, "\(text.debugDescription)")
                mappings += 1
                if ownCount < pairs.count { merging += 1 }
            }
        }
        #expect(mappings > 6_000)
        #expect(merging > 300, "\(merging) mappings with a merge")
        #expect(reported > 0, "no diagnostics compared")
    }
}

/// The loader's merge walk before the rule moved into `YAMLDocument.forEachMergedPair`, kept as this test's oracle.
private struct OldMergeWalk {
    let document: YAMLDocument
    let reader: DocumentReader
    let sink: DiagnosticSink

    func slots(_ node: YAMLNode) -> [YAMLDocument.MergedPair] {
        var slots: [YAMLDocument.MergedPair] = []
        var merged: [YAMLDocument.MergedPair] = []
        for index in 0..<document.count(node) {
            let keyNode = document.key(node, index)
            let value = document.value(node, index)
            guard document.isScalar(keyNode) else {
                sink.add(
                    LoadProblem.wrongType(
                        "a key in the map must be text, found \(reader.describe(keyNode))", at: reader.location(keyNode),
                        hint: "write keys as plain words; a '?' or a '[' / '{' at the start of a line makes a complex key"))
                continue
            }
            if document.isScalar(keyNode, equalTo: "<<"), document.tag(keyNode) == .merge || document.style(keyNode) == .plain && !document.isTagWritten(keyNode) {
                for source in mergeSources(value) where document.isMapping(source) {
                    for sourceIndex in 0..<document.count(source) {
                        let sourceKey = document.key(source, sourceIndex)
                        guard document.isScalar(sourceKey), !merged.contains(where: { sameText($0.key, sourceKey) }) else { continue }
                        merged.append(YAMLDocument.MergedPair(key: sourceKey, value: document.value(source, sourceIndex), mergeKey: keyNode))
                    }
                }
                continue
            }
            slots.append(YAMLDocument.MergedPair(key: keyNode, value: value, mergeKey: nil))
        }
        for entry in merged where !slots.contains(where: { sameText($0.key, entry.key) }) {
            slots.append(entry)
        }
        return slots
    }

    private func mergeSources(_ value: YAMLNode) -> [YAMLNode] {
        switch document.kind(value) {
        case .mapping: return [value]
        case .sequence: return document.items(value).filter { document.isMapping($0) }
        case .scalar:
            reader.wrongType(
                value, expected: "a map or a list of maps", what: "the map: merge key '<<'",
                hint: "merge an anchored map with an alias, e.g. '<<: *defaults'")
            return []
        }
    }

    private func sameText(_ lhs: YAMLNode, _ rhs: YAMLNode) -> Bool {
        let left = document.string(lhs)
        let right = document.string(rhs)
        return left == right
    }
}
