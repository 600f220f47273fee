extension YAMLDocument {
    /// Whether a node is a YAML null, the one rule of the loader and the simulator's readers: a plain scalar tagged
    /// `!!null`, or untagged (or tagged with the non-specific `!`) whose text is a null word (`~`, `null`, `Null`,
    /// `NULL` or nothing). A quoted scalar is never null, nor is one written `!!str` (`!!str null` is the text `null`).
    @inlinable @inline(__always) public func isNull(_ node: YAMLNode) -> Bool {
        guard isPlain(node) else { return false }
        let written = tag(node)
        return written == .null || written == .str && !isTagWritten(node) && isNullWord(node)
    }

    /// Whether a scalar's text is one of YAML 1.1's null words (`~`, `null`, `Null`, `NULL`, nothing), compared byte
    /// by byte.
    @inlinable @inline(__always) public func isNullWord(_ node: YAMLNode) -> Bool {
        guard isScalar(node) else { return false }
        switch byteCount(node) {
        case 0: return true
        case 1: return isScalar(node, equalTo: "~")
        case 4: return isScalar(node, equalTo: "null") || isScalar(node, equalTo: "Null") || isScalar(node, equalTo: "NULL")
        default: return false
        }
    }
}
