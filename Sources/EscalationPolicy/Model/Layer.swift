import EscalationCore

/// One rung of the ladder: a step plus when to move on.
public struct Layer: Sendable {
    /// What the layer does.
    public var step: Step
    /// Move on after this long unless acknowledged.
    public var timeout: Located<PolicyDuration>?
    /// Move on at an instant taken from the incident.
    public var at: Located<Anchor>?
    /// Calendar for a business timeout.
    public var calendar: Located<String>?

    /// The layer id (empty when missing, which the loader reports).
    public var id: String { step.id?.value ?? "" }
}
