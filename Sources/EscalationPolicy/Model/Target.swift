import EscalationCore

/// Who a step reaches: a contact, a group, whoever is on call in a schedule, or a contact named by an incident field.
public struct Target: Sendable {
    /// The kind of target.
    public enum Kind: String, Sendable, CaseIterable {
        case contact, group, schedule, field
    }

    /// The kind.
    public var kind: Kind
    /// The referenced id (or field name).
    public var reference: Located<String>
}
