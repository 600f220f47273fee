/// A declared item of an organisation, named so that later checks can ask whether the loader reported it broken.
public struct ModelItem: Hashable, Sendable {
    /// What kind of item.
    public enum Kind: String, Hashable, Sendable {
        /// A contact.
        case contact
        /// A group.
        case group
        /// An on-call schedule.
        case schedule
        /// A channel.
        case channel
        /// A message template.
        case template
        /// A route table.
        case route
        /// A business-hours calendar.
        case calendar
        /// The `fields:` map of a policy (the id is the policy's).
        case policyFields
        /// One field declaration (the id is the field name).
        case field
    }

    /// The kind.
    public var kind: Kind
    /// Its id (or name, for a field).
    public var id: String

    /// An item.
    public init(_ kind: Kind, _ id: String) {
        self.kind = kind
        self.id = id
    }
}
