/// The incident's fields by the slots of the policy index that reads them (`PolicyIndex.fieldSlots`), kept beside
/// the state so a step reads a field by position instead of hashing its name into `fields` on every read.
///
/// It is a cache of `IncidentState.fields`, not part of the state's value: it takes no part in the state's equality,
/// hash or coding (two states with the same fields are equal whether or not either has read them by slot), it is
/// dropped whenever `fields` is set or changed, and it answers only for the index that filled it (an engine built
/// on another graph numbers its slots anew). It is one reference wide.
struct FieldSlots: Hashable, Sendable {
    /// The values and the index that read them, shared by copies of the state (immutable once made).
    final class Read: Sendable {
        /// The index whose slots these are.
        let owner: PolicyIndex
        /// The values by slot (nil where the incident has no value).
        let values: [String?]

        init(owner: PolicyIndex, values: [String?]) {
            self.owner = owner
            self.values = values
        }
    }

    /// What was read (nil: nothing since the fields last changed).
    let read: Read?

    /// Nothing read yet.
    init() { read = nil }

    /// The values `owner` read.
    init(owner: PolicyIndex, values: [String?]) { read = Read(owner: owner, values: values) }

    /// Always equal: a cache does not tell two states apart.
    static func == (lhs: Self, rhs: Self) -> Bool { true }

    /// Adds nothing: a cache does not change a state's hash.
    func hash(into hasher: inout Hasher) {}
}
