import EscalationCore

/// `field: value` or `field: [a, b]`: the field equals the value or one of the list.
public struct FieldMatch: Sendable {
    /// The field name.
    public var field: Located<String>
    /// Accepted values, as text.
    public var values: [Located<String>]
}
