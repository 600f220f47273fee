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
    /// The keys' bytes, one after another: a slot's key is `bytes[start ..< start + length]`. A probe compares bytes
    /// (the length, then eight bytes at a time in `sameBytes`) where comparing `String`s went through the standard
    /// library's comparison, which checks both strings' normalization flags before the bytes (about 70 instructions a
    /// compare). For ASCII keys, equal bytes are equal strings and nothing else is.
    private let bytes: [UInt8]
    /// Each slot's key as a range of `bytes` (`length` -1: the slot is empty).
    private let slots: [KeyRange]
    /// Values by slot (nil where the slot is empty).
    private let values: [Value?]
    /// Slot count minus one (the count is a power of two).
    private let mask: Int
    /// The number of entries.
    let count: Int

    /// Where a slot's key lies in `bytes` (`length` -1 where the slot is empty).
    private struct KeyRange: Sendable {
        let start: Int32
        let length: Int32
    }

    /// A table of `pairs`; the first of duplicate ids wins.
    init(_ pairs: some Sequence<(String, Value)>) {
        let entries = Array(pairs)
        let dictionary = Dictionary(entries) { first, _ in first }
        let asciiOnly = entries.allSatisfy { $0.0.utf8.allSatisfy { $0 < 0x80 } }
        // At most half full, so probe runs stay short.
        var count = 8
        while count < entries.count * 2 { count *= 2 }
        var keys = Array(repeating: "", count: count)
        var values = [Value?](repeating: nil, count: count)
        var filled = Array(repeating: false, count: count)
        for (key, value) in entries where asciiOnly {
            var slot = (Self.asciiHash(key) ?? 0) & (count - 1)
            while filled[slot], keys[slot] != key { slot = (slot + 1) & (count - 1) }
            guard !filled[slot] else { continue }
            keys[slot] = key
            values[slot] = value
            filled[slot] = true
        }
        var bytes: [UInt8] = []
        var slots: [KeyRange] = []
        slots.reserveCapacity(count)
        for slot in 0..<count {
            guard filled[slot] else {
                slots.append(KeyRange(start: 0, length: -1))
                continue
            }
            slots.append(KeyRange(start: Int32(bytes.count), length: Int32(keys[slot].utf8.count)))
            bytes.append(contentsOf: keys[slot].utf8)
        }
        self.dictionary = dictionary
        self.asciiOnly = asciiOnly
        self.bytes = bytes
        self.slots = slots
        self.values = values
        self.mask = count - 1
        self.count = dictionary.count
    }

    /// The value for `key`, if any.
    subscript(key: String) -> Value? {
        switch find(key) {
        case .slot(let slot): return values[slot]
        case .absent: return nil
        case .notASCII: return dictionary[key]
        }
    }

    /// Whether `key` has an entry (without copying its value out, as `self[key] != nil` does).
    func contains(_ key: String) -> Bool {
        switch find(key) {
        case .slot: return true
        case .absent: return false
        case .notASCII: return dictionary.index(forKey: key) != nil
        }
    }

    /// What the byte table says of a key.
    private enum Found {
        /// The key's slot.
        case slot(Int)
        /// No entry has the key.
        case absent
        /// The byte table does not answer (the key or an id is not ASCII): ask the dictionary.
        case notASCII
    }

    /// The slot of `key` in the byte table: hashed and compared on its UTF-8 bytes, read in place.
    private func find(_ key: String) -> Found {
        guard asciiOnly else { return .notASCII }
        return key.utf8.withContiguousStorageIfAvailable { find(UnsafeRawBufferPointer($0)) } ?? Array(key.utf8).withUnsafeBytes(find)
    }

    /// The slot of the key whose bytes are `key`.
    private func find(_ key: UnsafeRawBufferPointer) -> Found {
        guard let hash = Self.hashBytes(key) else { return .notASCII }
        var slot = Int(truncatingIfNeeded: hash) & mask
        return bytes.withUnsafeBytes { stored in
            while true {
                let range = slots[slot]
                if range.length < 0 { return .absent }
                if Int(range.length) == key.count, Self.sameBytes(stored, at: Int(range.start), key) { return .slot(slot) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether `stored[start ..< start + key.count]` holds `key`'s bytes: eight at a time, the last eight overlapping
    /// (a call of `memcmp` cost more than the compare itself for keys this short).
    @inline(__always)
    static func sameBytes(_ stored: UnsafeRawBufferPointer, at start: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let count = key.count
        if count >= 8 {
            var offset = 0
            while offset + 8 < count {
                if stored.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self) != key.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                    return false
                }
                offset += 8
            }
            return stored.loadUnaligned(fromByteOffset: start + count - 8, as: UInt64.self) == key.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        for offset in 0..<count where stored[start + offset] != key[offset] { return false }
        return true
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

