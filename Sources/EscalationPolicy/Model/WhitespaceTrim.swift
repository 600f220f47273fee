import Foundation

/// `trimmingCharacters(in: .whitespaces)` for ASCII text without Foundation (11,000 instructions a call on Linux): in
/// ASCII the set holds the space and the tab, and each byte is one scalar, so the bytes are trimmed. Other text goes to
/// Foundation.
enum WhitespaceTrim {
    /// The text without leading and trailing whitespace (`CharacterSet.whitespaces`).
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var any: UInt8 = 0
            for byte in bytes { any |= byte }
            guard any < 0x80 else { return nil }
            var lower = 0
            var upper = bytes.count
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
        }
        if case let trimmed?? = ascii { return trimmed }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
