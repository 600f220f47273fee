@testable import EscalationEngine
import EscalationCore
import Testing

/// `IDTable.asciiHash` takes a longer key's tail in one overlapping load. The hash must be the one the byte loop gave
/// (kept below as the oracle), so the tables' probe runs do not move, for every length, for small and large
/// representations of the same text, and nil for non-ASCII keys.
@Suite("Id hashing")
struct IDHashTests {
    /// The hash as it was computed before: the key's bytes copied out, whole words, then the tail a byte at a time.
    static func oracle(_ key: String) -> Int? {
        let bytes = Array(key.utf8)
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var high: UInt64 = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            var word: UInt64 = 0
            for index in 0..<8 { word |= UInt64(bytes[offset + index]) << UInt64(index * 8) }
            high |= word
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        high |= tail
        hash = (hash ^ tail) &* multiplier
        hash ^= hash >> 29
        return high & 0x8080_8080_8080_8080 == 0 ? Int(truncatingIfNeeded: hash) : nil
    }

    /// The same text in a large (heap) representation, however short.
    static func large(_ text: String) -> String {
        var copy = ""
        copy.reserveCapacity(64)
        copy.append(contentsOf: text)
        return copy
    }

    @Test("the same hash as the byte loop, small and large, every length", arguments: [UInt64(1), 2, 3])
    func agreesWithTheByteLoop(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let asciiCharacters: [Character] = Array("abcxyzABC019-_:/.@ ")
        let characters: [Character] = asciiCharacters + ["é", "\u{7F}", "\u{80}", "👩‍💻", "\u{212A}"]
        for _ in 0..<4_000 {
            let count = rng.int(0...40)
            let ascii = rng.chance(80)
            var picked: [Character] = []
            for _ in 0..<count { picked.append(ascii ? rng.pick(asciiCharacters) : rng.pick(characters)) }
            let text = String(picked)
            let expected = Self.oracle(text)
            #expect(IDTable<Int>.asciiHash(text) == expected, "\(text.debugDescription)")
            #expect(IDTable<Int>.asciiHash(Self.large(text)) == expected, "\(text.debugDescription) (large)")
            #expect(IDTable<Int>.asciiHash(String(Substring("__" + text).dropFirst(2))) == expected)
        }
    }
}
