import EscalationCore

/// One layer of a policy's ladder, read back from the compiled graph: its condition, step and timer.
public struct LadderLayer: Sendable, Hashable {
    /// Position in the ladder, from 1.
    public var number: Int
    /// Layer id.
    public var id: String
    /// Display name, when the layer has one.
    public var name: String?
    /// The `when` condition (the layer is skipped when it does not hold as the layer starts).
    public var condition: CompiledCondition?
    /// What the layer does.
    public var step: CompiledStep
    /// When the ladder moves on (nil: at once, or the end of the ladder for the last layer).
    public var wait: CompiledWait?

    /// `2. us-local-tech (Local IT Desktop Support staff)`.
    public var title: String { "\(number). \(id)\(name.map { " (\($0))" } ?? "")" }
}
