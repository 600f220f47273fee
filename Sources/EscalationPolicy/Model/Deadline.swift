import EscalationCore

/// A timer of the policy beside the ladder: at an instant from the incident (`at: FIELD ± D`) or a while after the
/// trigger (`after: D`, wall or business time) it runs its step and/or raises a signal. An acknowledgement does not stop
/// it; resolving does, and so does a signal listed in its `until`.
public struct Deadline: Sendable {
    /// What it does when it fires (its `id` names the deadline).
    public var step: Step
    /// An instant from the incident.
    public var at: Located<Anchor>?
    /// A wall-clock delay from the trigger.
    public var after: Located<PolicyDuration>?
    /// A signal it raises when it fires (drives `until`, stages and signal hooks like an external one).
    public var signal: Located<String>?
    /// Signals that cancel it while it is pending (e.g. `replied` for a first-reply deadline).
    public var until: [Located<String>] = []

    /// The deadline id (empty when missing, which the loader reports).
    public var id: String { step.id?.value ?? "" }

    /// A deadline.
    public init(step: Step, at: Located<Anchor>?, after: Located<PolicyDuration>?, signal: Located<String>?) {
        self.step = step
        self.at = at
        self.after = after
        self.signal = signal
    }
}
