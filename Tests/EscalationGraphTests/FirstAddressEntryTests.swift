@testable import EscalationCore
@testable import EscalationGraph
import EscalationSimulator
import Testing

/// `IncidentAddress.firstEntry` reads an `address` field's first entry without building the list of all of them. It
/// must give the first of what the character-by-character reader gives (`characterEntries`, unchanged, the oracle) and
/// the first of `entries`, by value and by the bytes of the name and the address, on random text built from what
/// matters to the reading: commas inside and outside quotes and angle brackets, blank parts before the first entry,
/// blanks and line breaks, names, non-ASCII letters.
@Suite struct FirstAddressEntryTests {
    static let pieces = [
        "Dana", " ", "\t", "\n", "\r\n", "\"", "<", ">", ",", ", ", ",,", "dana@example.org", "+1-555-0150", "Client, D", "\u{0B}",
        "Zo\u{EB}", "x@y.z", "\"Client, Dana\" <dana@example.org>", "<a@b.c>",
    ]

    /// An entry's parts as bytes (`==` on `String` takes canonically equal spellings as equal).
    static func bytes(_ entry: IncidentAddress?) -> [[UInt8]]? {
        entry.map { [Array($0.address.utf8), $0.name.map { Array($0.utf8) } ?? [0xFF]] }
    }

    @Test func firstEntryIsTheFirstOfEveryEntry() {
        var generator = SplitMix64(seed: 41)
        var found = 0
        var blankFirst = 0
        for _ in 0..<8_000 {
            let value = (0..<Int.random(in: 0...10, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            let oracle = IncidentAddress.characterEntries(value).first
            let first = IncidentAddress.firstEntry(value)
            #expect(first == oracle, "\(value.debugDescription)")
            #expect(Self.bytes(first) == Self.bytes(oracle), "\(value.debugDescription)")
            #expect(Self.bytes(first) == Self.bytes(IncidentAddress.entries(value).first), "\(value.debugDescription)")
            if value.utf8.allSatisfy({ $0 < 0x80 }) {
                var text = value
                let ascii = text.withUTF8 { IncidentAddress.firstASCIIEntry($0) }
                #expect(Self.bytes(ascii) == Self.bytes(oracle), "\(value.debugDescription)")
            }
            if oracle != nil { found += 1 }
            // A blank part before the first entry: the reading goes on past it.
            if oracle != nil, IncidentAddress.parse(Substring(value.prefix { $0 != "," })) == nil, value.contains(",") { blankFirst += 1 }
        }
        #expect(found > 5_000)
        #expect(blankFirst > 100)
    }
}
