import EscalationCore

/// Steps run when the incident opens, is acknowledged, resolved, or receives a named signal.
public struct Hooks: Sendable {
    /// When the incident opens, beside the ladder: work that belongs to the incident, not to a layer.
    public var trigger: [Step] = []
    /// On acknowledge.
    public var acknowledge: [Step] = []
    /// On resolve (steps may test the outcome).
    public var resolve: [Step] = []
    /// Each time one item of the `resolve_per` list resolves while others stay open.
    public var scopeResolved: [Step] = []
    /// Where `scope_resolved:` is written.
    public var scopeResolvedLocation: SourceLocation?
    /// Each time a later event joins the open incident as a report (`correlate`).
    public var report: [Step] = []
    /// Where `report:` is written.
    public var reportLocation: SourceLocation?
    /// On a named signal.
    public var signals: [(name: Located<String>, steps: [Step])] = []

    /// Every step of every hook.
    public var allSteps: [Step] { trigger + acknowledge + resolve + scopeResolved + report + signals.flatMap(\.steps) }
}
