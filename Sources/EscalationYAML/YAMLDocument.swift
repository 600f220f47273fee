/// A composed YAML file in a few flat arrays: one record per node (kind, style, tag, mark, and where its value
/// lies), the scalars' text as one byte buffer, and the children of every collection as one index array. Nodes are
/// `YAMLNode` indices, so passing one around copies an integer; an alias is the index of the node it names.
public final class YAMLDocument: Sendable {
    /// One node.
    @usableFromInline struct Record: Sendable {
        @usableFromInline var kind: YAMLNode.Kind
        /// A scalar's `YAMLNode.Style`; a collection's libyaml style (block 1, flow 2).
        @usableFromInline var style: UInt8
        /// Whether a tag other than the non-specific `!` was written (`!!str null` is text, not null); it sits in
        /// what was padding before `tag`, so a record stays 24 bytes.
        @usableFromInline var tagWritten: Bool
        @usableFromInline var tag: YAMLTag
        @usableFromInline var line: Int32
        @usableFromInline var column: Int32
        /// A scalar's first byte in `bytes`; a collection's first child in `children`.
        @usableFromInline var start: Int32
        /// A scalar's byte count; a sequence's item count; a mapping's pair count (two children each).
        @usableFromInline var count: Int32
    }

    /// Every node, in the order their first event came.
    @usableFromInline let records: [Record]
    /// The UTF-8 text of every scalar, one after the other.
    @usableFromInline let bytes: [UInt8]
    /// The items of each sequence and the key and value of each pair of each mapping.
    @usableFromInline let children: [Int32]
    /// The tag names: `YAMLTag.fixedNames` and then the other tags found, by `YAMLTag.index`.
    public let tagNames: [String]
    /// The document's root; nil for a stream with no document (`Yams.compose` returns nil then).
    public let root: YAMLNode?

    init(records: [Record], bytes: [UInt8], children: [Int32], tagNames: [String], root: YAMLNode?) {
        self.records = records
        self.bytes = bytes
        self.children = children
        self.tagNames = tagNames
        self.root = root
    }

    @inlinable @inline(__always) public func kind(_ node: YAMLNode) -> YAMLNode.Kind { records[Int(node.index)].kind }
    @inlinable @inline(__always) public func isScalar(_ node: YAMLNode) -> Bool { records[Int(node.index)].kind == .scalar }
    @inlinable @inline(__always) public func isSequence(_ node: YAMLNode) -> Bool { records[Int(node.index)].kind == .sequence }
    @inlinable @inline(__always) public func isMapping(_ node: YAMLNode) -> Bool { records[Int(node.index)].kind == .mapping }

    /// A scalar's style (`any` for a collection).
    @inlinable public func style(_ node: YAMLNode) -> YAMLNode.Style {
        let record = records[Int(node.index)]
        return record.kind == .scalar ? YAMLNode.Style(rawValue: record.style) ?? .any : .any
    }

    /// Whether a scalar is plain (or `any`, as the empty document's root is).
    @inlinable public func isPlain(_ node: YAMLNode) -> Bool {
        let record = records[Int(node.index)]
        return record.kind == .scalar && record.style <= YAMLNode.Style.plain.rawValue
    }

    /// A collection's libyaml style (1 block, 2 flow; Yams reports `any` for every composed collection).
    @inlinable public func collectionStyle(_ node: YAMLNode) -> UInt8 { records[Int(node.index)].style }

    @inlinable @inline(__always) public func tag(_ node: YAMLNode) -> YAMLTag { records[Int(node.index)].tag }

    /// Whether the node's tag was written (`!!str`, `!!int`, `!custom`…), rather than left out or written as the
    /// non-specific `!`: only an untagged plain scalar is resolved by its look (null, bool, int…).
    @inlinable @inline(__always) public func isTagWritten(_ node: YAMLNode) -> Bool { records[Int(node.index)].tagWritten }

    /// The tag's full name (`tag:yaml.org,2002:str`).
    @inlinable public func tagName(_ node: YAMLNode) -> String { tagNames[Int(records[Int(node.index)].tag.index)] }

    /// Where the node starts (for an alias, where the node it names starts).
    @inlinable public func mark(_ node: YAMLNode) -> YAMLMark {
        let record = records[Int(node.index)]
        return YAMLMark(line: Int(record.line), column: Int(record.column))
    }

    /// A scalar's text ("" for a collection).
    @inlinable public func string(_ node: YAMLNode) -> String {
        let record = records[Int(node.index)]
        guard record.kind == .scalar, record.count > 0 else { return "" }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(record.start)..<Int(record.start + record.count)]), as: UTF8.self)
        }
    }

    /// A scalar's text as a byte count (0 for a collection).
    @inlinable public func byteCount(_ node: YAMLNode) -> Int {
        let record = records[Int(node.index)]
        return record.kind == .scalar ? Int(record.count) : 0
    }

    /// Whether the node is a scalar whose text is `text`, compared byte by byte (no string is made).
    @inlinable public func isScalar(_ node: YAMLNode, equalTo text: String) -> Bool {
        let record = records[Int(node.index)]
        // The byte counts first (stored in the string): most keys asked for differ in length from most keys.
        guard record.kind == .scalar, text.utf8.count == Int(record.count) else { return false }
        let start = Int(record.start)
        let compared = text.utf8.withContiguousStorageIfAvailable { other in
            bytes.withUnsafeBufferPointer { buffer in
                for index in 0..<other.count where buffer[start + index] != other[index] { return false }
                return true
            }
        }
        if let compared { return compared }
        return bytes[start..<start + Int(record.count)].elementsEqual(text.utf8)
    }

    /// The number of items of a sequence or pairs of a mapping (0 for a scalar).
    @inlinable public func count(_ node: YAMLNode) -> Int {
        let record = records[Int(node.index)]
        return record.kind == .scalar ? 0 : Int(record.count)
    }

    /// Item `index` of a sequence.
    @inlinable public func item(_ node: YAMLNode, _ index: Int) -> YAMLNode {
        YAMLNode(index: children[Int(records[Int(node.index)].start) + index])
    }

    /// The items of a sequence (empty for another node).
    @inlinable public func items(_ node: YAMLNode) -> [YAMLNode] {
        let record = records[Int(node.index)]
        guard record.kind == .sequence else { return [] }
        let start = Int(record.start)
        return children[start..<start + Int(record.count)].map { YAMLNode(index: $0) }
    }

    /// The key of pair `index` of a mapping.
    @inlinable public func key(_ node: YAMLNode, _ index: Int) -> YAMLNode {
        YAMLNode(index: children[Int(records[Int(node.index)].start) + 2 * index])
    }

    /// The value of pair `index` of a mapping.
    @inlinable public func value(_ node: YAMLNode, _ index: Int) -> YAMLNode {
        YAMLNode(index: children[Int(records[Int(node.index)].start) + 2 * index + 1])
    }

    /// The value of a mapping's first `str` key whose text is `key` (nil for another node or a missing key), as Yams'
    /// `node[key]` finds it.
    @inlinable public func value(_ node: YAMLNode, forKey key: String) -> YAMLNode? {
        guard isMapping(node) else { return nil }
        for index in 0..<count(node) {
            let candidate = self.key(node, index)
            if tag(candidate) == .str, isScalar(candidate, equalTo: key) { return value(node, index) }
        }
        return nil
    }
}
