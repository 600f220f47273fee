import EscalationCore

/// An incident field a policy reads: its type, whether the reporter must supply it, and what it is.
public struct FieldDeclaration: Sendable {
    /// The kinds of value a field holds.
    public enum FieldType: String, Sendable, CaseIterable {
        case string, text, integer, number, boolean, time, duration, contact, `enum`, list
        /// One address of a person outside the organisation, optionally with a name: `Dana Client <dana@example.org>`.
        case address
        /// Several such addresses, separated by commas.
        case addressList = "address-list"

        /// Whether the field holds addresses (and so needs `kind:`).
        public var holdsAddresses: Bool { self == .address || self == .addressList }
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
    /// The address kind an `address` or `address-list` field holds (`email`, `phone`, …): channels reading that kind reach it.
    public var addressKind: Located<String>? = nil
}
