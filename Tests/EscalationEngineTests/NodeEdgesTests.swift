@testable import EscalationEngine
import EscalationCore
import EscalationGraph
import Testing

/// Each indexed node keeps the edges out of it (`IndexedNode.outgoing`), so the ladder follows an edge from the node it
/// holds. They must be what `PolicyIndex.edges(from:)` gives for the node's id (the lookup the ladder made before), on
/// random graphs with repeated and canonically equal node ids, edges from unknown nodes and nodes without edges. The
/// node each edge leads to, kept by position (`IndexedNode.targets`), must be the one its id looks up.
@Suite("Edges kept with their node")
struct NodeEdgesTests {
    static let ids = ["start", "layer:a", "layer:a/when", "layer:a/alt-2", "wait:a", "repeat", "end:exhausted", "K", "\u{212A}", "\u{E9}", "e\u{301}"]

    @Test("a node's edges are edges(from:) of its id, and their targets by position the nodes their ids look up", arguments: [UInt64(1), 2, 3])
    func agreesWithTheLookup(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var followed = 0
        var targeted = 0
        for _ in 0..<500 {
            let nodes = (0..<rng.int(0...9)).map { _ in GraphNode(id: rng.pick(Self.ids), kind: rng.pick(GraphNode.Kind.allCases)) }
            let edges = (0..<rng.int(0...14)).map { _ in
                GraphEdge(from: rng.pick(Self.ids + ["nowhere"]), to: rng.pick(Self.ids), kind: rng.pick(GraphEdge.Kind.allCases))
            }
            let policy = CompiledPolicy(
                id: "p", name: "P", version: "1", match: [:], priority: 0, fields: [], outcomes: [], until: [], entry: "start", nodes: nodes,
                edges: edges, stages: [], actions: [], hooks: CompiledHooks(acknowledge: [], resolve: [], signals: [:]))
            let index = PolicyIndex(policy, templates: [:])
            for id in Self.ids + ["nowhere"] {
                guard let node = index.node(id) else { continue }
                #expect(node.outgoing == index.edges(from: id), "\(id.debugDescription) \(edges)")
                followed += node.outgoing.count
                // Each edge's target by position is the node its id looks up (the lookup `enter` made before), or none.
                #expect(node.targets.count == node.outgoing.count)
                for (at, edge) in node.outgoing.enumerated() {
                    #expect(index.target(of: node, edge: at) === index.node(edge.to), "\(edge.to.debugDescription) in \(nodes.map(\.id))")
                    if index.node(edge.to) != nil { targeted += 1 }
                }
            }
        }
        #expect(followed > 1_000)
        #expect(targeted > 500)
    }
}
