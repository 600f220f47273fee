extension YAMLDocument {
    /// One key and its value.
    public typealias Pair = (key: YAMLNode, value: YAMLNode)

    /// Whether a key is a merge key: `<<` written plain, or tagged `!!merge`.
    @inlinable public func isMergeKey(_ key: YAMLNode) -> Bool {
        isScalar(key, equalTo: "<<") && (tag(key) == .merge || style(key) == .plain)
    }

    /// A mapping's pairs with `<<` merge keys applied, as the loader applies them: the mapping's own pairs in order,
    /// then the scalar keys of the map (or of each map of the list) a merge key names, each text once (the first map
    /// that has it wins) and only where the mapping has no key of that text (texts compared as Swift compares
    /// strings). A merge key whose value is neither a map nor a list stays an ordinary pair; a list's other items
    /// are skipped.
    public func mergedPairs(_ mapping: YAMLNode) -> [Pair] {
        var own: [Pair] = []
        var merged: [Pair] = []
        for index in 0..<count(mapping) {
            let key = self.key(mapping, index)
            let value = self.value(mapping, index)
            guard isMergeKey(key), !isScalar(value) else {
                own.append((key, value))
                continue
            }
            for source in isMapping(value) ? [value] : items(value).filter(isMapping) {
                for sourceIndex in 0..<count(source) {
                    let sourceKey = self.key(source, sourceIndex)
                    guard isScalar(sourceKey), !merged.contains(where: { sameScalarText($0.key, sourceKey) }) else { continue }
                    merged.append((sourceKey, self.value(source, sourceIndex)))
                }
            }
        }
        return own + merged.filter { entry in !own.contains { sameScalarText($0.key, entry.key) } }
    }

    /// The value of the first pair whose key is a `str` scalar with the text `key` (as `value(_:forKey:)` finds it
    /// in a mapping).
    public func value(in pairs: [Pair], forKey key: String) -> YAMLNode? {
        pairs.first { tag($0.key) == .str && isScalar($0.key, equalTo: key) }?.value
    }

    /// Whether two nodes are scalars whose texts are equal as Swift compares strings.
    private func sameScalarText(_ lhs: YAMLNode, _ rhs: YAMLNode) -> Bool {
        isScalar(lhs) && isScalar(rhs) && string(lhs) == string(rhs)
    }
}
