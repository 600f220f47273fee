import EscalationCore

/// A message every `every` while the incident is open.
public struct Reminders: Sendable {
    /// The interval.
    public var every: Located<PolicyDuration>
    /// Who, how and what (a step without tasks).
    public var step: Step
    /// Events that restart the interval (`update`, or a signal name): with any, the reminders are a watchdog that
    /// speaks only after `every` has passed without one of them.
    public var resetOn: [Located<String>] = []
    /// The watchdog's id (items of `watchdogs:`; nil for `reminders:`).
    public var id: Located<String>?
}
