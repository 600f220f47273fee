import EscalationCore

/// Open an incident only after `count` matching events within `within`, unless an event matches `unless`.
public struct Threshold: Sendable {
    /// Events needed.
    public var count: Located<Int>
    /// The window.
    public var within: Located<PolicyDuration>
    /// Events that open at once.
    public var unless: [FieldMatch]
}
