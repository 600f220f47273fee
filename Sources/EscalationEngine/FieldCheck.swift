import EscalationGraph

/// How a trigger's value for one declared field is checked, worked out once per policy from the field's type name,
/// so a trigger switches on a case instead of comparing type names for every field (a class, so reading the
/// list copies no field).
final class FieldCheck: Sendable {
    /// What a value must be.
    enum Kind: Sendable {
        case time, integer, number, boolean, enumeration, contact
        /// One address (`address`) or several (`address-list`), checked as the field's address kind says.
        case address(single: Bool)
        /// Any text.
        case text
    }

    /// The declared field.
    let field: CompiledField
    /// Its check.
    let kind: Kind

    /// The check a declared field's type asks for.
    init(_ field: CompiledField) {
        self.field = field
        switch field.type {
        case "time": kind = .time
        case "integer": kind = .integer
        case "number": kind = .number
        case "boolean": kind = .boolean
        case "enum": kind = .enumeration
        case "contact": kind = .contact
        case "address": kind = .address(single: true)
        case "address-list": kind = .address(single: false)
        default: kind = .text
        }
    }
}
