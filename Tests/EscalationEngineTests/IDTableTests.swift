@testable import EscalationEngine
import EscalationCore
import Testing

/// The engine's id table answers every lookup as the dictionary it replaced did (first of duplicate ids wins).
@Suite("Id table")
struct IDTableTests {
    /// A random id from pieces that make near-misses, shared prefixes, long keys, non-ASCII text and the empty id.
    private static func id(_ rng: inout SplitMix64) -> String {
        let pieces = ["layer:", "first", "/alt-", "2", "1", "é", "👩‍💻", "a", "b", "contact-with-a-long-identifier-", "", "x"]
        return (0..<rng.int(0...5)).map { _ in rng.pick(pieces) }.joined()
    }

    @Test("lookups agree with Dictionary on random ids, duplicates and absent keys included", arguments: [UInt64(1), 2, 3, 4])
    func agreesWithDictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for size in [0, 1, 3, 8, 50, 400] {
            let pairs = (0..<size).map { index in (Self.id(&rng), index) }
            let table = IDTable(pairs)
            let reference = Dictionary(pairs) { first, _ in first }
            #expect(table.count == reference.count)
            for (key, value) in reference {
                #expect(table[key] == value, "key \(key.debugDescription)")
                #expect(table.contains(key), "key \(key.debugDescription)")
            }
            for _ in 0..<300 {
                let probe = Self.id(&rng)
                #expect(table[probe] == reference[probe], "probe \(probe.debugDescription)")
                #expect(table.contains(probe) == (reference[probe] != nil), "probe \(probe.debugDescription)")
            }
        }
    }

    @Test("equal ids from different storage hash alike")
    func equalIDsHashAlike() {
        let native = "layer:first/alt-2"
        let sliced = String(Substring("xxlayer:first/alt-2".dropFirst(2)))
        #expect(IDTable<Int>.asciiHash(native) == IDTable<Int>.asciiHash(sliced))
        let table = IDTable([(native, 7)])
        #expect(table[sliced] == 7)
        #expect(table["layer:first/alt-"] == nil)
        #expect(IDTable<Int>.asciiHash("é") == nil)
    }

    @Test("canonically equal ids are found, as Swift's string equality and Dictionary find them")
    func canonicalEquivalence() {
        // KELVIN SIGN is canonically "K"; "é" may be one scalar or "e" and a combining accent.
        let cases: [(stored: [String], probe: String)] = [
            (["K", "a"], "\u{212A}"), (["\u{212A}", "a"], "K"), (["\u{E9}t\u{E9}"], "e\u{301}te\u{301}"), (["e\u{301}"], "\u{E9}"),
        ]
        for (stored, probe) in cases {
            let pairs = stored.enumerated().map { ($0.element, $0.offset) }
            let table = IDTable(pairs)
            let reference = Dictionary(pairs) { first, _ in first }
            #expect(reference[probe] != nil)
            #expect(table[probe] == reference[probe], "probe \(probe.debugDescription) in \(stored)")
            #expect(table.contains(probe), "probe \(probe.debugDescription) in \(stored)")
        }
    }
}
