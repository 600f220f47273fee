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
    /// For each edge of `outgoing`, the position of the node it leads to in `PolicyIndex.nodeList` (-1: the policy has no
    /// node of that id), so `enter` takes the next node by position instead of looking its id up.
    let targets: [Int]
    /// The texts a layer's node gives every incident the same (nil: the node has no layer; the texts are then built
    /// with the id the node was reached by, as before). Built once here and shared: building them per event cost an
    /// allocation, the copies and a free each.
    let texts: Texts?

    /// The constant texts of a layer's node, written as `EngineRun` wrote them per event.
    struct Texts: Sendable {
        /// The origin of its notifications, tasks and posts: `layer X`.
        let origin: String
        /// Why its step runs on the first pass: `layer 'X' started`, with `: alternative` for a chosen alternative.
        let started: String
        /// The record when its wait times out: `timeout of layer 'X' (5m)` (nil: the node has no wait).
        let timeout: String?

        /// The origin of a node's notifications: `layer X`, with the layer's id or the node's.
        static func origin(_ layer: String) -> String { "layer \(layer)" }

        /// Why a node's step runs on the first pass: `layer 'X' started`, with `: alternative` when one is chosen.
        static func started(_ layer: String, alternative: String?) -> String {
            "layer '\(layer)' started\(alternative.map { ": \($0)" } ?? "")"
        }

        /// Why a node's step runs on a repeat pass: `repeat pass N`, with `: alternative` when one is chosen.
        static func repeated(_ pass: Int, alternative: String?) -> String {
            "repeat pass \(pass)\(alternative.map { ": \($0)" } ?? "")"
        }

        /// The record when a node's wait times out: `timeout of layer 'X' (5m)`, or of the node's id without a layer.
        static func timeout(layer: String?, node: String, wait: CompiledWait) -> String {
            "timeout of \(layer.map { "layer '\($0)'" } ?? node) (\(wait))"
        }
    }

    /// Indexes `node`, with the edges out of it and the positions of the nodes they lead to.
    init(_ node: GraphNode, outgoing: [GraphEdge], targets: [Int]) {
        value = node
        step = node.step.map(Shared.init)
        self.outgoing = outgoing
        self.targets = targets
        texts = node.layer.map { layer in
            Texts(
                origin: Texts.origin(layer), started: Texts.started(layer, alternative: node.step?.alternative),
                timeout: node.wait.map { Texts.timeout(layer: layer, node: node.id, wait: $0) })
        }
    }
}
