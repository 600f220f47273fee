import EscalationCore
import Foundation
import Testing

@testable import EscalationPolicy

/// `DocumentReader.timezone` asks a set of Foundation's zone names, built once, instead of Foundation's list at every
/// call. This pins the set's answers against the list's `contains` (the oracle): every known name, each changed
/// (case, a letter dropped, a combining accent, a decomposed form), abbreviations, and 5,000 random texts.
@Suite struct KnownTimeZonesTests {
    @Test func theSetAnswersAsTheList() {
        let list = TimeZone.knownTimeZoneIdentifiers
        #expect(DocumentReader.knownTimeZones == list)
        #expect(list.count > 300)
        var asked = list + ["UTC", "GMT", "PST", "CET", "", "Europe/", "europe/london", "Europe/London ", "America/Sao_Paulo"]
        for name in list {
            asked.append(name.lowercased())
            asked.append(String(name.dropLast()))
            asked.append(name + "\u{0301}")
            asked.append(name.decomposedStringWithCanonicalMapping)
        }
        var rng = SplitMix64(seed: 4_242)
        let letters = Array("abcEuropeLndAmerica/_ \u{0301}é")
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 16)
            asked.append(String((0..<length).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }))
        }
        var known = 0
        for name in asked {
            let expected = list.contains(name)
            #expect(DocumentReader.knownTimeZoneSet.contains(name) == expected, "\(name.debugDescription)")
            if expected { known += 1 }
        }
        #expect(known >= list.count)
    }
}
