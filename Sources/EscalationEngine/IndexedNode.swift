import EscalationGraph

/// A policy's node as the engine's index keeps it: behind one reference, with its step behind its own. A lookup
/// copies one pointer, and `run` reads the step in place (`step.value`) where binding the node's optional step copied
/// every part of it (about 20 references) and destroyed them after.
final class IndexedNode: Sendable {
    /// The node.
    let value: GraphNode
    /// The node's step, shared (nil: the node has none).
    let step: Shared<CompiledStep>?

    /// Indexes `node`.
    init(_ node: GraphNode) {
        value = node
        step = node.step.map(Shared.init)
    }
}
