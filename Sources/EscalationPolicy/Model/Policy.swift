import EscalationCore

/// What to do when an incident arrives: the ladder and everything around it.
public struct Policy: Sendable {
    /// The policy id.
    public var id: Located<String>
    /// Display name.
    public var name: Located<String>
    /// Free text.
    public var description: String?
    /// Which incidents it takes (all must hold).
    public var match: [FieldMatch]
    /// Higher wins when several policies match.
    public var priority: Int
    /// Open only after several events within a window.
    public var threshold: Threshold?
    /// Declared incident fields.
    public var fields: [FieldDeclaration]
    /// Calendar for business durations.
    public var calendar: Located<String>?
    /// The longest acceptable time until someone who can acknowledge is reached.
    public var targetAck: Located<PolicyDuration>?
    /// Allowed resolution outcomes.
    public var outcomes: [Located<String>]
    /// A list field whose items must each resolve.
    public var resolvePer: Located<String>?
    /// Signals that stop the ladder.
    public var until: [Located<String>]
    /// The ladder.
    public var layers: [Layer]
    /// Run the ladder again.
    public var repeatRule: RepeatRule?
    /// Periodic messages while open.
    public var reminders: Reminders?
    /// Status messages.
    public var stages: [Stage]
    /// Things switched on at trigger and undone on resolve.
    public var actions: [PolicyAction]
    /// Steps on acknowledge, resolve and signals.
    public var hooks: Hooks
    /// Timers beside the ladder.
    public var deadlines: [Deadline] = []
    /// How later events join the open incident as reports (nil: they are duplicates).
    public var correlate: Correlation?
    /// Where the policy is declared.
    public var location: SourceLocation

    /// The declared field with this name.
    public func field(_ name: String) -> FieldDeclaration? { fields.first { $0.name.value == name } }
}
