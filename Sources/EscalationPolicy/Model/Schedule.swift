import EscalationCore

/// An on-call rotation with overrides: who is on call at an instant.
public struct Schedule: Sendable {
    /// The schedule id.
    public var id: Located<String>
    /// The display name.
    public var name: Located<String>
    /// The zone of `start`, overrides and hand-offs, when it differs from the organisation's.
    public var timezone: Located<String>?
    /// The rotation.
    public var rotation: Rotation?
    /// Temporary replacements.
    public var overrides: [Override]

    /// Members taking turns in shifts of equal length from a start instant.
    public struct Rotation: Sendable {
        /// Members in shift order.
        public var members: [Located<String>]
        /// Shift length.
        public var shift: Located<PolicyDuration>
        /// When the first member's shift began.
        public var start: Located<LocalDateTime>
        /// Restrict the rotation to a calendar's open hours.
        public var during: Located<String>?
    }

    /// Someone else on call during `[from, to)`.
    public struct Override: Sendable {
        /// Who is on call instead.
        public var contact: Located<String>
        /// Start (inclusive).
        public var from: Located<LocalDateTime>
        /// End (exclusive).
        public var to: Located<LocalDateTime>
    }
}
