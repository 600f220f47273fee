import EscalationCore
import Testing
import Yams

@testable import EscalationPolicy
@testable import EscalationYAML

/// `DocumentReader.pairs` and `itemName` walk a `YAMLDocument`'s mappings by index and merge `<<` keys themselves.
/// This pins both against the same walk over the mapping Yams composes (the loader's composer before), on 2,000 random
/// mappings with `<<` merges (a map and a list of maps), repeated merged keys, null values, and `id` keys valid,
/// invalid or absent.
@Suite struct MappingIndexTests {
    /// The pairs read from Yams' mapping as the loader read them before, as (key, key line, key column, value).
    static func iterated(_ node: Node) -> [String] {
        guard case .mapping(let mapping) = node else { return [] }
        var pairs: [(String, Node, Node)] = []
        var merged: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else { continue }
            if keyScalar.string == "<<" {
                let sources: [Node]
                switch value {
                case .mapping: sources = [value]
                case .sequence(let sequence): sources = Array(sequence)
                default: sources = []
                }
                for case .mapping(let sourceMapping) in sources {
                    for (sourceKey, sourceValue) in sourceMapping {
                        guard let name = sourceKey.scalar?.string, !merged.contains(where: { $0.0 == name }) else { continue }
                        merged.append((name, sourceKey, sourceValue))
                    }
                }
                continue
            }
            pairs.append((keyScalar.string, keyNode, value))
        }
        for entry in merged where !pairs.contains(where: { $0.0 == entry.0 }) { pairs.append(entry) }
        return pairs.map { "\($0.0)@\($0.1.mark?.line ?? 0):\($0.1.mark?.column ?? 0)=\(YAMLRendering.render($0.2))" }
    }

    @Test func pairsAndItemNamesAgreeWithYams() throws {
        let keys = ["id", "a", "b", "c", "<<"]
        let values = ["1", "~", "x y", "{ a: 1, c: 2 }", "[1]", "Bad Id", "ok-id"]
        let merges = ["{ a: 7, id: m }", "[{ b: 1, a: 2 }, { a: 3, c: ~ }]", "[{ id: z }, 5]"]
        var rng = SplitMix64(seed: 77)
        var named = 0
        for _ in 0..<2_000 {
            let text = rng.mappingText(keys: keys) { key, rng in
                key == "<<" ? merges[Int(rng.next() % UInt64(merges.count))] : values[Int(rng.next() % UInt64(values.count))]
            }
            guard let yams = try Yams.compose(yaml: text, .basic, .default, .utf8) else { continue }
            let document = try YAMLComposer.compose(text)
            let node = try #require(document.root)
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: text), document: document, sink: DiagnosticSink())
            let read = (reader.pairs(node, what: "m") ?? []).map {
                "\($0.key)@\(document.mark($0.keyNode).line):\(document.mark($0.keyNode).column)=\(YAMLRendering.render($0.value, in: document))"
            }
            #expect(read == Self.iterated(yams), "\(text)")
            guard case .mapping(let mapping) = yams else { continue }
            var expected = "item 3 of o"
            if let id = mapping.first(where: { $0.key.scalar?.string == "id" })?.value.scalar?.string, FieldName.isValidIdentifier(id) {
                expected = "item '\(id)' of o"
                named += 1
            }
            #expect(reader.itemName("item", node, index: 2, of: "o") == expected, "\(text)")
        }
        #expect(named > 100)
    }
}
