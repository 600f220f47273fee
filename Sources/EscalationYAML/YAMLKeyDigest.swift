/// A key's byte count and first eight bytes, to look keys up by comparing two integers: texts with different digests
/// differ, and texts of at most eight bytes with equal digests are equal byte for byte (longer ones must be compared).
public struct YAMLKeyDigest: Equatable, Sendable {
    /// The text's UTF-8 byte count.
    public let count: Int
    /// Its first (up to) eight bytes, the first in the lowest byte, zero past the end.
    public let head: UInt64

    /// The digest of the bytes of a text.
    @inlinable public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var head: UInt64 = 0
        for index in 0..<min(bytes.count, 8) { head |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        self.count = bytes.count
        self.head = head
    }

    /// The digest of a text's UTF-8 bytes.
    @inlinable public init(_ text: String) {
        if let digest = text.utf8.withContiguousStorageIfAvailable({ YAMLKeyDigest($0) }) {
            self = digest
        } else {
            self = Array(text.utf8).withUnsafeBufferPointer { YAMLKeyDigest($0) }
        }
    }

    /// Whether texts with this digest are equal when their digests are: they have at most eight bytes.
    @inlinable public var isWhole: Bool { count <= 8 }
}
