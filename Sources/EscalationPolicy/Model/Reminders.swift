import EscalationCore

/// A message every `every` while the incident is open.
public struct Reminders: Sendable {
    /// The interval.
    public var every: Located<PolicyDuration>
    /// Who, how and what (a step without tasks).
    public var step: Step
}
