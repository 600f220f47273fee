import EscalationGraph

/// A policy's node as the engine's index keeps it: behind one reference, with its step behind its own. A lookup
/// copies one pointer, and `run` reads the step in place (`step.value`) where binding the node's optional step copied
/// every part of it (about 20 references) and destroyed them after.
final class IndexedNode: Sendable {
    /// The node.
    let value: GraphNode
    /// The node's step, shared (nil: the node has none).
    let step: Shared<CompiledStep>?
    /// The edges out of the node (`PolicyIndex.edges(from:)` of its id), kept with it so the ladder follows an edge
    /// from the node it holds instead of looking its id up again.
    let outgoing: [GraphEdge]

    /// Indexes `node`, with the edges out of it.
    init(_ node: GraphNode, outgoing: [GraphEdge]) {
        value = node
        step = node.step.map(Shared.init)
        self.outgoing = outgoing
    }
}
