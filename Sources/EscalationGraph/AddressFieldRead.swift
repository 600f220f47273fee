/// A declared field as the `address` target's rule reads it (`RuleGraph.addressRecipients(of:reading:)`): the
/// incident's value for it, the kind its address goes under, and whether it holds a list. A caller that keeps the
/// incident's fields by position (the engine) hands them over without hashing the field's name into the fields or
/// copying its declaration.
public struct AddressFieldRead: Sendable {
    /// The incident's value for the field (nil: none).
    public let value: String?
    /// The address kind (the field's `addressKind`, else `address`).
    public let kind: String
    /// Whether the field is an `address-list`.
    public let isList: Bool

    /// Creates a read from its parts.
    public init(value: String?, kind: String, isList: Bool) {
        self.value = value
        self.kind = kind
        self.isList = isList
    }

    /// The read of the field `declared` with its value: the one place a declaration's kind and list-ness are read.
    public init(_ declared: CompiledField, value: String?) {
        self.init(value: value, kind: declared.addressKind ?? "address", isList: declared.type == "address-list")
    }

    /// The read of the field `declared`, its value taken from `fields` by the declared name.
    public init(_ declared: CompiledField, fields: [String: String]) {
        self.init(declared, value: fields[declared.name])
    }
}
