import EscalationCore

/// A named set of contacts.
public struct ContactGroup: Sendable {
    /// The group id.
    public var id: Located<String>
    /// The display name.
    public var name: Located<String>
    /// Member contact ids.
    public var members: [Located<String>]
}
