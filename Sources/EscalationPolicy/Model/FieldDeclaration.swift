import EscalationCore

/// An incident field a policy reads: its type, whether the reporter must supply it, and what it is.
public struct FieldDeclaration: Sendable {
    /// The kinds of value a field holds.
    public enum FieldType: String, Sendable, CaseIterable {
        case string, text, integer, number, boolean, time, duration, contact, `enum`, list
    }

    /// The field name (dotted segments).
    public var name: Located<String>
    /// Its type.
    public var type: Located<FieldType>
    /// Whether a trigger without it is refused.
    public var required: Bool
    /// What the reporter should supply.
    public var description: String?
    /// Allowed values of an `enum` field.
    public var values: [Located<String>]
}
