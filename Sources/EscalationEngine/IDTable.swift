/// An immutable table from ids to values, built once per engine, for the lookups every event makes (contacts,
/// channels, nodes, fields, templates).
///
/// A `Dictionary` keyed by `String` seeds and runs SipHash over the key on every lookup (about 400–600 instructions
/// with the compare); this table mixes the key's UTF-8 bytes eight at a time and probes linearly, about a quarter
/// of that. SipHash guards a table that grows from input against collisions chosen by an attacker; this one is filled
/// once from the compiled graph and never grows, so a chosen lookup key can only land in a probe run the policy's
/// own ids made. The first of duplicate ids wins, as `Dictionary(_:uniquingKeysWith: { first, _ in first })` does.
///
/// Swift compares strings by canonical equivalence (`"\u{212A}" == "K"`), which bytes do not see, so the byte table
/// answers only when every id and the key looked up are ASCII; anything else goes to a `Dictionary` of the same
/// entries, and the answers are always the dictionary's.
struct IDTable<Value: Sendable>: Sendable {
    /// Every entry, for keys the byte table does not answer.
    private let dictionary: [String: Value]
    /// Whether every id is ASCII (else the byte table is empty and the dictionary answers everything).
    private let asciiOnly: Bool
    /// Keys by slot (meaningful only where `filled`).
    private let keys: [String]
    /// Values by slot (nil where the slot is empty).
    private let values: [Value?]
    /// Whether a slot holds an entry.
    private let filled: [Bool]
    /// Slot count minus one (the count is a power of two).
    private let mask: Int
    /// The number of entries.
    let count: Int

    /// A table of `pairs`; the first of duplicate ids wins.
    init(_ pairs: some Sequence<(String, Value)>) {
        let entries = Array(pairs)
        let dictionary = Dictionary(entries) { first, _ in first }
        let asciiOnly = entries.allSatisfy { $0.0.utf8.allSatisfy { $0 < 0x80 } }
        // At most half full, so probe runs stay short.
        var slots = 8
        while slots < entries.count * 2 { slots *= 2 }
        var keys = Array(repeating: "", count: slots)
        var values = [Value?](repeating: nil, count: slots)
        var filled = Array(repeating: false, count: slots)
        for (key, value) in entries where asciiOnly {
            var slot = (Self.asciiHash(key) ?? 0) & (slots - 1)
            while filled[slot], keys[slot] != key { slot = (slot + 1) & (slots - 1) }
            guard !filled[slot] else { continue }
            keys[slot] = key
            values[slot] = value
            filled[slot] = true
        }
        self.dictionary = dictionary
        self.asciiOnly = asciiOnly
        self.keys = keys
        self.values = values
        self.filled = filled
        self.mask = slots - 1
        self.count = dictionary.count
    }

    /// The value for `key`, if any.
    subscript(key: String) -> Value? {
        guard asciiOnly, let hash = Self.asciiHash(key) else { return dictionary[key] }
        var slot = hash & mask
        while filled[slot] {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Whether `key` has an entry (without copying its value out, as `self[key] != nil` does).
    func contains(_ key: String) -> Bool {
        guard asciiOnly, let hash = Self.asciiHash(key) else { return dictionary.index(forKey: key) != nil }
        var slot = hash & mask
        while filled[slot] {
            if keys[slot] == key { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    /// A hash of an ASCII key's bytes, eight at a time (read in place when the string has contiguous storage, as
    /// native ones do); nil when the key is not ASCII. The value only has to agree within one process.
    static func asciiHash(_ key: String) -> Int? {
        let hash = key.utf8.withContiguousStorageIfAvailable { hashBytes(UnsafeRawBufferPointer($0)) } ?? Array(key.utf8).withUnsafeBytes(hashBytes)
        return hash.map { Int(truncatingIfNeeded: $0) }
    }

    /// The words of `bytes` multiplied in (a multiply-xorshift mix); nil when a byte has its high bit set.
    static func hashBytes(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var high: UInt64 = 0
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            high |= word
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        if offset < bytes.count, bytes.count >= 8 {
            // The last eight bytes (overlapping the last whole word) shifted down to the tail's: the same value as
            // taking the tail a byte at a time, in one load.
            tail = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) >> UInt64((8 - (bytes.count - offset)) * 8)
        } else {
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
        }
        high |= tail
        hash = (hash ^ tail) &* multiplier
        // Fold the high bits in: the table's mask keeps only the low ones.
        hash ^= hash >> 29
        return high & 0x8080_8080_8080_8080 == 0 ? hash : nil
    }
}

