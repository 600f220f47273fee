extension YAMLDocument {
    /// Whether a node is a YAML null, the one rule of the loader and the simulator's readers: a plain scalar tagged
    /// `!!null`, or untagged (or tagged with the non-specific `!`) whose text is a null word (`~`, `null`, `Null`,
    /// `NULL` or nothing). A quoted scalar is never null, nor is one written `!!str` (`!!str null` is the text `null`).
    ///
    /// The node's record is read once and a null word's bytes compared in place (the readers ask this for nearly
    /// every value they look up). `NullRuleTests` holds it to the rule written over `isPlain`, `tag`, `isTagWritten`
    /// and `isNullWord`.
    @inlinable @inline(__always) public func isNull(_ node: YAMLNode) -> Bool {
        let record = records[Int(node.index)]
        guard record.kind == .scalar, record.style <= YAMLNode.Style.plain.rawValue else { return false }
        if record.tag == .null { return true }
        guard record.tag == .str, !record.tagWritten else { return false }
        return isNullWord(record)
    }

    /// Whether a scalar's text is one of YAML 1.1's null words (`~`, `null`, `Null`, `NULL`, nothing), compared byte
    /// by byte.
    @inlinable @inline(__always) public func isNullWord(_ node: YAMLNode) -> Bool {
        let record = records[Int(node.index)]
        return record.kind == .scalar && isNullWord(record)
    }

    /// The null words over a scalar record's bytes, in place: the one list both questions above read.
    @inlinable @inline(__always) func isNullWord(_ record: Record) -> Bool {
        switch record.count {
        case 0: return true
        case 1: return bytes[Int(record.start)] == UInt8(ascii: "~")
        case 4:
            let start = Int(record.start)
            let first = bytes[start]
            guard first == UInt8(ascii: "n") || first == UInt8(ascii: "N") else { return false }
            let rest = (bytes[start + 1], bytes[start + 2], bytes[start + 3])
            return rest == (UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l"))
                || first == UInt8(ascii: "N") && rest == (UInt8(ascii: "U"), UInt8(ascii: "L"), UInt8(ascii: "L"))
        default: return false
        }
    }
}
