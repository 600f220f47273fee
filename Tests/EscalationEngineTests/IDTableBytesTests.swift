@testable import EscalationEngine
import EscalationCore
import Testing

/// The id table's byte compare (keys kept as bytes, a probe compares lengths and words) answers every lookup as the
/// probe it replaced, which compared `String`s, and as the dictionary.
@Suite("Id table: keys compared on their bytes")
struct IDTableBytesTests {
    /// The probe before: keys as `String`s by slot, compared with `==` (kept here as the oracle).
    private struct StringProbeTable {
        var keys: [String]
        var values: [Int?]
        var filled: [Bool]
        var mask: Int
        let dictionary: [String: Int]
        let asciiOnly: Bool

        init(_ entries: [(String, Int)]) {
            dictionary = Dictionary(entries) { first, _ in first }
            asciiOnly = entries.allSatisfy { $0.0.utf8.allSatisfy { $0 < 0x80 } }
            var slots = 8
            while slots < entries.count * 2 { slots *= 2 }
            keys = Array(repeating: "", count: slots)
            values = Array(repeating: nil, count: slots)
            filled = Array(repeating: false, count: slots)
            mask = slots - 1
            for (key, value) in entries where asciiOnly {
                var slot = (IDTable<Int>.asciiHash(key) ?? 0) & mask
                while filled[slot], keys[slot] != key { slot = (slot + 1) & mask }
                guard !filled[slot] else { continue }
                keys[slot] = key
                values[slot] = value
                filled[slot] = true
            }
        }

        subscript(key: String) -> Int? {
            guard asciiOnly, let hash = IDTable<Int>.asciiHash(key) else { return dictionary[key] }
            var slot = hash & mask
            while filled[slot] {
                if keys[slot] == key { return values[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// A random ASCII id of 0–40 bytes over a small alphabet, so ids of one length often differ in one byte.
    private static func asciiID(_ rng: inout SplitMix64) -> String {
        let alphabet = Array("ab-/:1".utf8)
        let length = rng.chance(30) ? rng.int(0...8) : rng.int(0...40)
        return String(decoding: (0..<length).map { _ in rng.pick(alphabet) }, as: UTF8.self)
    }

    /// `id` changed a little: one byte replaced (anywhere, the last word's overlap included), cut short, grown, or a
    /// non-ASCII letter put in.
    private static func nearMiss(_ id: String, _ rng: inout SplitMix64) -> String {
        var bytes = Array(id.utf8)
        switch rng.int(0...4) {
        case 0 where !bytes.isEmpty:
            let at = rng.int(0...(bytes.count - 1))
            bytes[at] = bytes[at] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        case 1 where !bytes.isEmpty: bytes.removeLast()
        case 2: bytes.append(rng.pick(Array("ab".utf8)))
        case 3: return id + "é"
        default: break
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("lookups agree with the string probe and the dictionary on random ids and near misses", arguments: [UInt64(1), 2, 3, 4])
    func agreesWithStringProbe(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<150 {
            let size = rng.int(0...60)
            var ids = (0..<size).map { _ in Self.asciiID(&rng) }
            // Sometimes one non-ASCII id: then the dictionary answers everything.
            if size > 0, rng.chance(10) { ids[rng.int(0...(size - 1))] = "é\(rng.int(0...9))" }
            let pairs = ids.enumerated().map { ($0.element, $0.offset) }
            let table = IDTable(pairs)
            let oracle = StringProbeTable(pairs)
            let reference = Dictionary(pairs) { first, _ in first }
            #expect(table.count == reference.count)
            var probes = ids + (0..<60).map { _ in Self.asciiID(&rng) }
            probes += ids.map { Self.nearMiss($0, &rng) }
            // The same text from other storage: a slice made a string, and a small string's bytes in a large one.
            probes += ids.prefix(10).map { String(Substring("xx" + $0).dropFirst(2)) }
            for probe in probes {
                #expect(table[probe] == oracle[probe], "probe \(probe.debugDescription) in \(ids)")
                #expect(table[probe] == reference[probe], "probe \(probe.debugDescription)")
                #expect(table.contains(probe) == (oracle[probe] != nil), "probe \(probe.debugDescription)")
            }
        }
    }

    @Test("sameBytes agrees with comparing the byte lists", arguments: [UInt64(1), 2, 3])
    func sameBytesAgrees(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<6_000 {
            let length = rng.int(0...40)
            let key = (0..<length).map { _ in UInt8(rng.int(0...3)) }
            let start = rng.int(0...9)
            var stored = (0..<(start + length + rng.int(0...9))).map { _ in UInt8(rng.int(0...3)) }
            // Often the key itself, or the key with one byte changed, so equal and near-equal ranges are common.
            if rng.chance(60) {
                stored.replaceSubrange(start..<(start + length), with: key)
                if length > 0, rng.chance(50) { stored[start + rng.int(0...(length - 1))] ^= 1 }
            }
            let expected = Array(stored[start..<(start + length)]) == key
            let answer = stored.withUnsafeBytes { stored in key.withUnsafeBytes { IDTable<Int>.sameBytes(stored, at: start, $0) } }
            #expect(answer == expected, "key \(key) at \(start) in \(stored)")
        }
    }
}
