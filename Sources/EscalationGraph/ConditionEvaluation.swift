import EscalationCore

/// The result of evaluating a `when` condition: a three-valued verdict and the verdict of each part.
public struct ConditionEvaluation: Codable, Sendable, Hashable {
    /// Holds, fails, or cannot be known yet (it reads incident fields before there is an incident).
    public enum Verdict: String, Codable, Sendable, Hashable {
        /// The condition holds.
        case holds
        /// The condition does not hold.
        case fails
        /// It depends on incident fields or an outcome that are not known yet.
        case unknown
    }

    /// One part of a condition (`during`, `outside`, one field, the outcome) and its verdict.
    public struct Check: Codable, Sendable, Hashable {
        /// What the part tests.
        public enum Kind: String, Codable, Sendable, Hashable {
            /// `during: CAL`.
            case during
            /// `outside: CAL`.
            case outside
            /// `fields: {NAME: …}`.
            case field
            /// `outcome: …`.
            case outcome
            /// `seen: …` (a signal received or a stage posted).
            case seen
        }

        /// What the part tests.
        public var kind: Kind
        /// The calendar id, field name or `outcome`.
        public var subject: String
        /// This part's verdict.
        public var verdict: Verdict
        /// For calendar parts: whether the calendar is open (nil when it is not declared).
        public var calendarOpen: Bool?
        /// For calendar parts: when the calendar next closes (when open) or opens (when closed), if within 8 weeks.
        public var nextChange: Instant?
        /// For field and outcome parts: the accepted values.
        public var accepted: [String]
        /// For field and outcome parts: the incident's value (nil when not given or not known yet).
        public var actual: String?
        /// One line saying why, e.g. `calendar office is closed (opens Mon 2026-03-09 09:00 CDT)`.
        public var detail: String
    }

    /// The verdict of the whole condition: fails when a part fails, else unknown when a part is unknown, else holds.
    public var verdict: Verdict
    /// Each part, in the order `during`, `outside`, fields (by name), `outcome`.
    public var checks: [Check]

    /// Whether the condition holds.
    public var holds: Bool { verdict == .holds }

    /// The details of the parts, joined with `; `.
    public var summary: String { checks.map(\.detail).joined(separator: "; ") }

    /// The details of the failing parts only, joined with `; `.
    public var failures: String { checks.filter { $0.verdict == .fails }.map(\.detail).joined(separator: "; ") }
}
