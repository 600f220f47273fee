extension YAMLDocument {
    /// One key and its value.
    public typealias Pair = (key: YAMLNode, value: YAMLNode)

    /// One pair of a mapping read with its merge keys applied.
    public struct MergedPair: Sendable {
        /// The key node (not always a scalar: the mapping's own keys come as written).
        public let key: YAMLNode
        /// The value node.
        public let value: YAMLNode
        /// The `<<` key the pair was merged in through; nil for the mapping's own pair.
        public let mergeKey: YAMLNode?

        @inlinable init(key: YAMLNode, value: YAMLNode, mergeKey: YAMLNode?) {
            self.key = key
            self.value = value
            self.mergeKey = mergeKey
        }
    }

    /// Whether a key is a merge key: `<<` written plain without a tag, or tagged `!!merge` (`!!str <<` is text).
    @inlinable public func isMergeKey(_ key: YAMLNode) -> Bool {
        // Asked of every key the loader reads: the two bytes are compared in place.
        let record = records[Int(key.index)]
        guard record.kind == .scalar, record.count == 2 else { return false }
        let start = Int(record.start)
        guard bytes[start] == UInt8(ascii: "<"), bytes[start + 1] == UInt8(ascii: "<") else { return false }
        return record.tag == .merge || style(key) == .plain && !record.tagWritten
    }

    /// The one merge rule of every YAML reader (the policy loader and the simulator's readers): calls `body` with a
    /// mapping's own pairs in order, but for a merge key whose value is a map or a list (a merge key with a scalar
    /// value comes as an ordinary pair: the loader reports it, the readers find it an unknown key); then with the
    /// scalar keys of the map (or of each map of the list, other items skipped) a merge key names, each text once (the
    /// first map that has it wins) and only where the mapping has no own key of that text (texts compared as Swift
    /// compares strings: local keys win). Makes no array unless the mapping merges.
    @inlinable @inline(__always) public func forEachMergedPair(_ mapping: YAMLNode, _ body: (MergedPair) -> Void) {
        var merged: [MergedPair] = []
        for index in 0..<count(mapping) {
            let key = self.key(mapping, index)
            let value = self.value(mapping, index)
            if isMergeKey(key), !isScalar(value) {
                appendMergeSources(of: value, through: key, to: &merged)
            } else {
                body(MergedPair(key: key, value: value, mergeKey: nil))
            }
        }
        for entry in merged where !hasOwnKey(mapping, withTextOf: entry.key) { body(entry) }
    }

    /// A mapping's pairs with merge keys applied (`forEachMergedPair`).
    public func mergedPairs(_ mapping: YAMLNode) -> [Pair] {
        var pairs: [Pair] = []
        pairs.reserveCapacity(count(mapping))
        forEachMergedPair(mapping) { pairs.append(($0.key, $0.value)) }
        return pairs
    }

    /// The value of the first pair whose key is a `str` scalar with the text `key` (as `value(_:forKey:)` finds it
    /// in a mapping).
    public func value(in pairs: [Pair], forKey key: String) -> YAMLNode? {
        pairs.first { tag($0.key) == .str && isScalar($0.key, equalTo: key) }?.value
    }

    /// Whether two nodes are scalars whose texts are equal as Swift compares strings: byte for byte, or (only when the
    /// bytes differ and either is not ASCII) canonically equivalent.
    @inlinable public func hasSameText(_ lhs: YAMLNode, _ rhs: YAMLNode) -> Bool {
        let left = records[Int(lhs.index)]
        let right = records[Int(rhs.index)]
        guard left.kind == .scalar, right.kind == .scalar else { return false }
        let leftBytes = bytes[Int(left.start)..<Int(left.start + left.count)]
        let rightBytes = bytes[Int(right.start)..<Int(right.start + right.count)]
        if leftBytes.elementsEqual(rightBytes) { return true }
        if leftBytes.allSatisfy({ $0 < 0x80 }), rightBytes.allSatisfy({ $0 < 0x80 }) { return false }
        return string(lhs) == string(rhs)
    }

    /// Appends the scalar keys of a merge key's map, or of each map of its list, that `merged` has no key of that
    /// text for.
    @usableFromInline func appendMergeSources(of value: YAMLNode, through mergeKey: YAMLNode, to merged: inout [MergedPair]) {
        for source in isMapping(value) ? [value] : items(value).filter(isMapping) {
            for index in 0..<count(source) {
                let key = self.key(source, index)
                guard isScalar(key), !merged.contains(where: { hasSameText($0.key, key) }) else { continue }
                merged.append(MergedPair(key: key, value: self.value(source, index), mergeKey: mergeKey))
            }
        }
    }

    /// Whether a mapping has an own pair (not a merge key that merged a map or a list) whose key has the text of `key`.
    @usableFromInline func hasOwnKey(_ mapping: YAMLNode, withTextOf key: YAMLNode) -> Bool {
        (0..<count(mapping)).contains { index in
            let own = self.key(mapping, index)
            return !(isMergeKey(own) && !isScalar(self.value(mapping, index))) && hasSameText(own, key)
        }
    }
}
