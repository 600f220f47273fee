import EscalationGraph

/// How a trigger's value for one declared field is checked, worked out once per policy from the field's type name,
/// so a trigger switches on a case instead of comparing type names for every field (a class, so reading the
/// list copies no field). Each check keeps its field's slot (`PolicyIndex.fieldSlots`), so `validate` reads the value
/// at once instead of looking the field's name up in the slot table for every check of every trigger.
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
    /// The field's slot among the policy's (`PolicyIndex.fieldSlots`; declared fields always have one).
    let slot: Int

    /// The check a declared field's type asks for, for the field in `slot`.
    init(_ field: CompiledField, slot: Int) {
        self.field = field
        self.slot = slot
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
