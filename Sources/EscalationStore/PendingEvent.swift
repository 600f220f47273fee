import EscalationCore

/// An event that counted towards a policy's `threshold` without opening an incident yet. Kept until an incident
/// of that policy opens (which consumes the policy's pending events in the same transaction).
public struct PendingEvent: Codable, Sendable, Hashable {
    /// Which threshold it counts towards.
    public struct Key: Codable, Sendable, Hashable {
        /// Organisation id.
        public var organisation: String
        /// Policy id.
        public var policy: String

        /// A key.
        public init(organisation: String, policy: String) {
            self.organisation = organisation
            self.policy = policy
        }
    }

    /// The threshold it counts towards.
    public var key: Key
    /// When it arrived.
    public var at: Instant
    /// Its title, if any.
    public var title: String?
    /// Its fields.
    public var fields: [String: String]
    /// Its dedup key, if any.
    public var dedupKey: String?

    /// A pending event.
    public init(key: Key, at: Instant, title: String?, fields: [String: String], dedupKey: String?) {
        self.key = key
        self.at = at
        self.title = title
        self.fields = fields
        self.dedupKey = dedupKey
    }
}
