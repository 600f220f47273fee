import EscalationCore

/// One layer of a policy's ladder, read back from the compiled graph: its alternatives and timer.
public struct LadderLayer: Sendable, Hashable {
    /// One alternative of a layer: the first whose condition holds as the layer starts runs.
    public struct Choice: Sendable, Hashable {
        /// The notify (or task) node.
        public var node: String
        /// Its `when` (nil: always; for the last alternative of a `choose`, the otherwise).
        public var condition: CompiledCondition?
        /// What it does.
        public var step: CompiledStep
    }

    /// Position in the ladder, from 1.
    public var number: Int
    /// Layer id.
    public var id: String
    /// Display name, when the layer has one.
    public var name: String?
    /// The alternatives in order (one for a layer without `choose`).
    public var choices: [Choice]
    /// When the ladder moves on (nil: at once, or the end of the ladder for the last layer).
    public var wait: CompiledWait?

    /// The first alternative's condition (a layer without `choose` is skipped when it does not hold).
    public var condition: CompiledCondition? { choices.first?.condition }
    /// The first alternative's step.
    public var step: CompiledStep { choices.first?.step ?? CompiledStep(targets: [], channels: [], cc: [], tasks: [], posts: []) }
    /// Whether the layer chooses between alternatives.
    public var isChoice: Bool { choices.count > 1 }

    /// `2. us-local-tech (Local IT Desktop Support staff)`.
    public var title: String { "\(number). \(id)\(name.map { " (\($0))" } ?? "")" }
}
