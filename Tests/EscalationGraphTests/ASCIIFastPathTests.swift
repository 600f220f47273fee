@testable import EscalationCore
@testable import EscalationGraph
import EscalationSimulator
import Testing

/// The byte-level readers the engine uses for ASCII text give exactly what the general readers give, on random text
/// built from the characters that matter to each (separators, quotes, brackets, blanks, line breaks, non-ASCII).
@Suite struct ASCIIFastPathTests {
    private func text(_ pieces: [String], count: ClosedRange<Int>, _ generator: inout SplitMix64) -> String {
        (0..<Int.random(in: count, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    @Test func listItemsAgreeWithFoundationTrimming() {
        var generator = SplitMix64(seed: 15)
        let pieces = ["a", "bob", ",", " ", "\t", "\n", "\r\n", ", ", "x-y", "é", "\u{00A0}", "\u{2003}", ",,"]
        for _ in 0..<3_000 {
            let value = text(pieces, count: 0...12, &generator)
            #expect(TargetResolver.listItems(value) == TargetResolver.foundationListItems(value), "\(value.debugDescription)")
        }
    }

    @Test func addressEntriesAgreeWithCharacterReading() {
        var generator = SplitMix64(seed: 16)
        let pieces = [
            "Dana", " ", "\t", "\n", "\r\n", "\"", "<", ">", ",", "dana@example.org", "+1-555-0150", "Client, D", "\u{0B}", "Zoë",
        ]
        for _ in 0..<3_000 {
            let value = text(pieces, count: 0...10, &generator)
            let ascii = value.utf8.allSatisfy { $0 < 0x80 }
            #expect(IncidentAddress.entries(value) == IncidentAddress.characterEntries(value), "\(value.debugDescription)")
            if ascii { #expect(IncidentAddress.asciiEntries(value) == IncidentAddress.characterEntries(value)) }
        }
    }

    @Test func oneAddressFieldReachesWhomTheGeneralPathReaches() throws {
        let graph = try SeedPolicies.graph("mindgym-live")
        var generator = SplitMix64(seed: 18)
        let pieces = ["Dana", " ", "\"", "<", ">", ",", "dana@example.org", "+1-555-0150", "Client, D", "Zoë", "x@y.z"]
        let declared: [String: CompiledField] = [
            "one": CompiledField(name: "one", type: "address", required: false, values: [], addressKind: "email"),
            "list": CompiledField(name: "list", type: "address-list", required: false, values: []),
            "phone": CompiledField(name: "phone", type: "address", required: false, values: [], addressKind: "phone"),
        ]
        for _ in 0..<2_000 {
            let ref = ["one", "list", "phone", "undeclared"].randomElement(using: &generator) ?? "one"
            let kind = ["address", "address", "address", "contact"].randomElement(using: &generator) ?? "address"
            let also: [String]? = Bool.random(using: &generator) ? nil : []
            let target = CompiledTarget(kind: kind, ref: ref, also: also)
            var fields: [String: String] = [:]
            for name in declared.keys where Bool.random(using: &generator) { fields[name] = text(pieces, count: 0...8, &generator) }
            let fast = graph.addressRecipients(target, declaredBy: { declared[$0] }, fields: fields)
            let general = RuleGraph.addressRecipientsOfFields(target, declaredBy: { declared[$0] }, fields: fields)
            #expect(fast == general, "\(target) \(fields)")
        }
    }

    @Test func dateTimesAgreeWithTheGeneralParse() {
        var generator = SplitMix64(seed: 17)
        let years = ["2026", "2028", "0000", "+202", "20a6", "226"]
        let months = ["01", "02", "12", "00", "13", "+5", "1"]
        let days = ["01", "28", "29", "30", "31", "00", "32", "+5"]
        let separators = ["T", " ", "t", "TT"]
        let hours = ["00", "09", "23", "24", "25", "+1", "7"]
        let minutes = ["00", "30", "59", "60", "5"]
        let seconds = ["", ":00", ":30", ":0", ":+0", ":000"]
        let offsets = ["", "Z", "z", "+05:30", "-06:00", "+24:00", "-23:59", "+1:00", "+00:60", "-00:00", "Z+01:00", "+05:30:00"]
        for _ in 0..<5_000 {
            let value = [years, ["-"], months, ["-"], days, separators, hours, [":"], minutes, seconds, offsets]
                .map { $0.randomElement(using: &generator) ?? "" }.joined()
            #expect(LocalDateTime.parse(value) == LocalDateTime.parseGeneral(value), "\(value)")
        }
        #expect(LocalDateTime.parseStrict("2026-11-23T11:00-06:00") != nil)
        #expect(LocalDateTime.parse("2026-11-23 11:00:00Z")?.utcOffsetSeconds == 0)
    }
}

extension ASCIIFastPathTests {
    @Test func addressProblemsAgreeWithCharacterChecks() {
        var generator = SplitMix64(seed: 18)
        let kinds = ["email", "E-Mail", "phone", "SMS", "voice-mobile", "tel", "slack", "pager", "Zoë-mail", "ma il", "xMAILx", "telegram"]
        let pieces = ["dana", "@", ".", "example", "org", " ", "\t", "\r\n", "+", "1", "555", "-", "(", ")", "0150", "é", "日", "x"]
        for _ in 0..<5_000 {
            let address = IncidentAddress(name: nil, address: text(pieces, count: 0...7, &generator))
            let kind = kinds.randomElement(using: &generator) ?? "email"
            #expect(address.problem(kind: kind) == address.characterProblem(kind: kind), "\(address.address.debugDescription) as \(kind)")
        }
    }
}

extension ASCIIFastPathTests {
    @Test func aTimeWithAnOffsetNeedsNoZoneLookup() {
        var generator = SplitMix64(seed: 19)
        let chicago = ZonedTime.zone("America/Chicago") ?? ZonedTime.utc
        for _ in 0..<2_000 {
            let date = LocalDate(dayNumber: Int.random(in: -400_000...400_000, using: &generator))
            let local = LocalDateTime(
                date: date, time: TimeOfDay(minutes: Int.random(in: 0...1_439, using: &generator)),
                utcOffsetSeconds: Int.random(in: -14 * 3_600...14 * 3_600, using: &generator))
            // The general way: UTC's midnight asked of the UTC zone.
            let general = ZonedTime.instant(local.date, minutes: 0, in: ZonedTime.utc).adding(seconds: local.time.minutes * 60 - (local.utcOffsetSeconds ?? 0))
            #expect(ZonedTime.instant(local, in: chicago) == general, "\(local)")
        }
    }
}
