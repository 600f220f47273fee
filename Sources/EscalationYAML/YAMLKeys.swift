/// Yams' duplicate-key check, on a `YAMLDocument`: keys are equal as Yams' `Node` compares them (a scalar's text as
/// Swift compares strings, canonical equivalence included, and its resolved tag; a collection's items in order and its
/// tag), grouped as `Dictionary(grouping:)` groups them (each group known by its first key) and sorted as Yams sorts
/// them (scalars by text).
enum YAMLKeys {
    /// A scalar key as Yams hashes and compares it.
    private struct ScalarKey: Hashable {
        let tag: YAMLTag
        let text: String
    }

    /// The repeated keys of a mapping (as Yams lists them) and the mark of the first, or nil when every key is unique.
    static func duplicates(in mapping: YAMLNode, of document: YAMLDocument) -> (keys: [String], mark: YAMLMark)? {
        let count = document.count(mapping)
        // Each group: its first key and how many keys it has.
        var groups: [(first: YAMLNode, count: Int)] = []
        var scalarGroups: [ScalarKey: Int] = [:]
        var collectionGroups: [Int] = []
        for index in 0..<count {
            let key = document.key(mapping, index)
            if document.isScalar(key) {
                let scalar = ScalarKey(tag: document.tag(key), text: document.string(key))
                if let group = scalarGroups[scalar] {
                    groups[group].count += 1
                } else {
                    scalarGroups[scalar] = groups.count
                    groups.append((key, 1))
                }
            } else if let group = collectionGroups.first(where: { equal(groups[$0].first, key, in: document) }) {
                groups[group].count += 1
            } else {
                collectionGroups.append(groups.count)
                groups.append((key, 1))
            }
        }
        let repeated = groups.filter { $0.count > 1 }.map(\.first)
        guard !repeated.isEmpty else { return nil }
        let sorted = repeated.sorted { less($0, $1, in: document) }
        let keys = sorted.map { document.isScalar($0) ? document.string($0) : "<uncovertable>" }
        return (keys, document.mark(sorted[0]))
    }

    /// Yams' `Node ==`.
    static func equal(_ lhs: YAMLNode, _ rhs: YAMLNode, in document: YAMLDocument) -> Bool {
        if lhs == rhs { return true }
        let kind = document.kind(lhs)
        guard kind == document.kind(rhs), document.tag(lhs) == document.tag(rhs) else { return false }
        switch kind {
        case .scalar:
            return document.string(lhs) == document.string(rhs)
        case .sequence:
            let count = document.count(lhs)
            guard count == document.count(rhs) else { return false }
            for index in 0..<count where !equal(document.item(lhs, index), document.item(rhs, index), in: document) { return false }
            return true
        case .mapping:
            let count = document.count(lhs)
            guard count == document.count(rhs) else { return false }
            for index in 0..<count {
                guard equal(document.key(lhs, index), document.key(rhs, index), in: document),
                    equal(document.value(lhs, index), document.value(rhs, index), in: document)
                else { return false }
            }
            return true
        }
    }

    /// Yams' `Node <`: scalars by text, sequences by items and mappings by keys in order, other pairs never less.
    static func less(_ lhs: YAMLNode, _ rhs: YAMLNode, in document: YAMLDocument) -> Bool {
        let kind = document.kind(lhs)
        guard kind == document.kind(rhs) else { return false }
        switch kind {
        case .scalar:
            return document.string(lhs) < document.string(rhs)
        case .sequence:
            return lessLexicographically(document.items(lhs), document.items(rhs), in: document)
        case .mapping:
            let keys = { (node: YAMLNode) in (0..<document.count(node)).map { document.key(node, $0) } }
            return lessLexicographically(keys(lhs), keys(rhs), in: document)
        }
    }

    /// Yams' `Array <` (element by element, then the shorter first).
    private static func lessLexicographically(_ lhs: [YAMLNode], _ rhs: [YAMLNode], in document: YAMLDocument) -> Bool {
        for (left, right) in zip(lhs, rhs) {
            if less(left, right, in: document) { return true }
            if less(right, left, in: document) { return false }
        }
        return lhs.count < rhs.count
    }
}
