/// One node of a `YAMLDocument`: its index in the document's arrays (an alias is the index of the node it names).
struct YAMLNode: Hashable, Sendable {
    /// The index of the node's record in its document.
    let index: Int32

    /// What a node is.
    enum Kind: UInt8, Sendable {
        case scalar, sequence, mapping
    }

    /// How a scalar was written, with libyaml's (and Yams') numbering; `any` only for the empty document.
    enum Style: UInt8, Sendable {
        case any = 0, plain, singleQuoted, doubleQuoted, literal, folded
    }
}
