/// One node of a `YAMLDocument`: its index in the document's arrays (an alias is the index of the node it names).
public struct YAMLNode: Hashable, Sendable {
    /// The index of the node's record in its document.
    public let index: Int32

    @usableFromInline init(index: Int32) { self.index = index }

    /// What a node is.
    public enum Kind: UInt8, Sendable {
        case scalar, sequence, mapping
    }

    /// How a scalar was written, with libyaml's (and Yams') numbering; `any` only for the empty document.
    public enum Style: UInt8, Sendable {
        case any = 0, plain, singleQuoted, doubleQuoted, literal, folded
    }
}
