@testable import EscalationEngine
import EscalationCore
import Testing

/// `EngineRun.address(in:kind:)` compares a few address kinds in turn instead of hashing the kind into the map. It must
/// answer what the dictionary's subscript answers (the oracle), canonically equal spellings of a kind included.
@Suite("Address by kind in a small map")
struct SmallAddressLookupTests {
    static let kinds = ["email", "phone", "slack", "sms", "K", "\u{212A}", "\u{E9}", "e\u{301}", "", "address"]

    @Test("the dictionary's answer for every kind", arguments: [UInt64(1), 2, 3])
    func agreesWithTheDictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var found = 0
        for _ in 0..<3_000 {
            var addresses: [String: String] = [:]
            for _ in 0..<rng.int(0...7) { addresses[rng.pick(Self.kinds)] = "a\(rng.int(0...99))" }
            for kind in Self.kinds + ["nothing"] {
                #expect(EngineRun.address(in: addresses, kind: kind) == addresses[kind], "\(addresses) \(kind.debugDescription)")
                if addresses[kind] != nil { found += 1 }
            }
        }
        #expect(found > 3_000)
    }
}
