import EscalationCore

/// Steps run when the incident is acknowledged, resolved, or receives a named signal.
public struct Hooks: Sendable {
    /// On acknowledge.
    public var acknowledge: [Step] = []
    /// On resolve (steps may test the outcome).
    public var resolve: [Step] = []
    /// On a named signal.
    public var signals: [(name: Located<String>, steps: [Step])] = []

    /// Every step of every hook.
    public var allSteps: [Step] { acknowledge + resolve + signals.flatMap(\.steps) }
}
