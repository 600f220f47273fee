import EscalationCore
import Testing

@testable import EscalationPolicy
@testable import EscalationYAML

/// `YAMLDocument.mergedPairs` (the merge walk of the simulator's readers) against the loader's `DocumentReader.pairs`:
/// the same pairs in the same order (key node and value node) for every mapping of 12,000 random documents, with
/// merge keys naming maps, lists of maps and aliases, repeated and canonically equivalent keys. Left out of the
/// comparison is what only the loader reports: a key that is not a scalar, and a mapping's own merge key whose value
/// is a scalar (the loader drops both with a diagnostic; the readers keep them as ordinary pairs). A merge key inside
/// a merged map is merged as an ordinary key by both.
@Suite struct MergedPairsTests {
    @Test func agreesWithTheLoadersPairsOnRandomDocuments() {
        var generator = RandomYAML(seed: 23)
        var mappings = 0
        var merging = 0
        for _ in 0..<12_000 {
            let text = generator.document()
            guard let document = try? YAMLComposer.compose(text) else { continue }
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: DiagnosticSink())
            for index in document.records.indices where document.records[index].kind == .mapping {
                let node = YAMLNode(index: Int32(index))
                let loader = (reader.pairs(node, what: "the map") ?? []).map { "\($0.keyNode.index)=\($0.value.index)" }
                // The mapping's own pairs come first: all but its merge keys that merged a map or a list.
                let pairs = (0..<document.count(node)).map { (document.key(node, $0), document.value(node, $0)) }
                let ownCount = pairs.filter { !(document.isMergeKey($0.0) && !document.isScalar($0.1)) }.count
                let ours = document.mergedPairs(node).enumerated()
                    .filter { offset, pair in
                        document.isScalar(pair.key) && !(offset < ownCount && document.isMergeKey(pair.key) && document.isScalar(pair.value))
                    }
                    .map { "\($0.element.key.index)=\($0.element.value.index)" }
                #expect(ours == loader, "\(text.debugDescription)")
                mappings += 1
                if ownCount < pairs.count { merging += 1 }
            }
        }
        #expect(mappings > 6_000)
        #expect(merging > 300, "\(merging) mappings with a merge")
    }
}
