import EscalationCore

/// Which policy takes an incident and why: every policy's match checked field by field, and the winner.
public struct RoutingDecision: Codable, Sendable, Hashable {
    /// One field of a policy's `match` against the incident.
    public struct FieldCheck: Codable, Sendable, Hashable {
        /// Field name.
        public var field: String
        /// Values the policy accepts.
        public var accepted: [String]
        /// The incident's value (nil when not given).
        public var actual: String?
        /// Whether it holds.
        public var holds: Bool
    }

    /// One policy as a candidate.
    public struct Candidate: Codable, Sendable, Hashable {
        /// Policy id.
        public var policy: String
        /// Policy name.
        public var name: String
        /// Position in file order, from 1.
        public var order: Int
        /// Priority (higher wins).
        public var priority: Int
        /// Whether its match holds.
        public var matches: Bool
        /// Its match, field by field (empty: it has no match and takes every incident).
        public var checks: [FieldCheck]
        /// Its threshold in words, and whether this event opens the incident at once (nil: no threshold).
        public var threshold: String?
        /// Required fields of the policy the incident does not give (a trigger would be refused).
        public var missingRequired: [String]
    }

    /// Organisation id.
    public var organisation: String
    /// The incident's fields.
    public var fields: [String: String]
    /// Every policy, in file order.
    public var candidates: [Candidate]
    /// The policy that takes the incident (nil: none matches).
    public var winner: String?
    /// Why, in one sentence.
    public var reason: String
}
