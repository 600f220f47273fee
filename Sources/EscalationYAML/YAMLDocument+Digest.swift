extension YAMLDocument {
    /// A scalar's `YAMLKeyDigest` (that of "" for a collection, as `string` gives "").
    @inlinable public func digest(_ node: YAMLNode) -> YAMLKeyDigest {
        let record = records[Int(node.index)]
        guard record.kind == .scalar, record.count > 0 else { return YAMLKeyDigest(UnsafeBufferPointer(start: nil, count: 0)) }
        return bytes.withUnsafeBufferPointer { buffer in
            YAMLKeyDigest(UnsafeBufferPointer(rebasing: buffer[Int(record.start)..<Int(record.start + record.count)]))
        }
    }
}
