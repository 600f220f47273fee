import EscalationCore

/// Run the ladder again `times` more times, `after` the last layer ends.
public struct RepeatRule: Sendable {
    /// Extra passes.
    public var times: Located<Int>
    /// Pause before each pass.
    public var after: Located<PolicyDuration>?
}
