import EscalationGraph
import EscalationStore
import Foundation

extension PolicySnapshot {
    /// Snapshots written before the compiled graph carried channel settings wrapped it with the YAML sources;
    /// only the graph is read from them.
    private struct Wrapped: Decodable {
        var graph: RuleGraph
    }

    /// The document for a graph: its JSON, keys sorted.
    static func document(for graph: RuleGraph) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(graph), as: UTF8.self)
    }

    /// The compiled graph a snapshot holds (never the YAML: a restart does not depend on today's parser).
    static func graph(from document: String) throws -> RuleGraph {
        let data = Data(document.utf8)
        if let wrapped = try? JSONDecoder().decode(Wrapped.self, from: data) { return wrapped.graph }
        return try JSONDecoder().decode(RuleGraph.self, from: data)
    }
}
