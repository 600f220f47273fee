extension EngineRun {
    /// The address of `kind` in a contact's or person's `addresses` (nil: none). A map of a few addresses is searched
    /// by comparing its kinds in turn, which costs less than hashing the kind (SipHash, about 450 instructions); the
    /// answer is the subscript's, as the kinds are compared with the same equality and a map holds each kind once.
    static func address(in addresses: [String: String], kind: String) -> String? {
        guard addresses.count <= 4 else { return addresses[kind] }
        for (key, value) in addresses where key == kind { return value }
        return nil
    }
}
