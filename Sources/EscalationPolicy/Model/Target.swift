import EscalationCore

/// Who a step reaches: a contact, a group, whoever is on call in a schedule, a contact named by an incident field, or
/// people outside the organisation whose addresses an incident carries (`{ address: FIELD }`), or the row of a route
/// table picked by a field's value (`{ route: ID }`).
public struct Target: Sendable {
    /// The kind of target.
    public enum Kind: String, Sendable, CaseIterable {
        case contact, group, schedule, field, address, route
    }

    /// The kind.
    public var kind: Kind
    /// The referenced id (or field name; for `address`, the first address field).
    public var reference: Located<String>
    /// Further address fields of the same person (`{ address: [client_phone, client_email] }`).
    public var also: [Located<String>] = []

    /// Every field an `address` target reads (the reference and the further ones).
    public var addressFields: [Located<String>] { kind == .address ? [reference] + also : [] }

    /// A target.
    public init(kind: Kind, reference: Located<String>, also: [Located<String>] = []) {
        self.kind = kind
        self.reference = reference
        self.also = also
    }
}
