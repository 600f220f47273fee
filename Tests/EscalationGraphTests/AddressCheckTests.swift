@testable import EscalationCore
@testable import EscalationGraph
import EscalationSimulator
import Testing

/// `IncidentAddress.check` counts an address field's entries and checks each on its bytes, without building the list of
/// entries or their strings (the trigger's `validate`). It must give what the trigger read before (kept below as the
/// oracle: the character-by-character entries and each one's `characterProblem`, and `entries` with `problem(kind:)`),
/// the problems byte for byte and in order, on random values (good, bad and empty addresses and phone numbers,
/// several entries, quotes and angle brackets, blanks, non-ASCII letters) for random kinds (e-mail, phone words in any
/// case, other kinds, non-ASCII ones).
@Suite struct AddressCheckTests {
    static let pieces = [
        "Dana", " ", "\t", "\n", "\"", "<", ">", ",", ", ", "dana@example.org", "a@b", "@x.org", "x@.org", "x@y.", "a@@b.c",
        "+1-555-0150", "(555) 0150 12", "555", "+", "Client, D", "Zo\u{EB}", "x@y.z", "<>", "<a@b.c>", "a b",
    ]
    static let kinds = ["address", "email", "E-Mail", "phone", "SMS", "voice", "Mobile", "tel", "slack", "pager", "T\u{E9}l", "\u{212A}mail", ""]

    /// The trigger's reading before `check`: every entry, its count, and each entry's problem (the oracle).
    static func oracle(_ value: String, kind: String) -> (count: Int, problems: [String]) {
        let entries = IncidentAddress.characterEntries(value)
        return (entries.count, entries.compactMap { $0.characterProblem(kind: kind) })
    }

    @Test func checkGivesWhatEveryEntryAndItsProblemGave() {
        var generator = SplitMix64(seed: 43)
        var withProblems = 0
        var several = 0
        for _ in 0..<8_000 {
            let value = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            let kind = Self.kinds.randomElement(using: &generator) ?? "email"
            let checked = IncidentAddress.check(value, kind: kind)
            let expected = Self.oracle(value, kind: kind)
            let listed = IncidentAddress.entries(value)
            #expect(checked.count == expected.count, "\(value.debugDescription) \(kind)")
            #expect(checked.problems.map { Array($0.utf8) } == expected.problems.map { Array($0.utf8) }, "\(value.debugDescription) \(kind)")
            #expect(checked.problems == listed.compactMap { $0.problem(kind: kind) }, "\(value.debugDescription) \(kind)")
            if !expected.problems.isEmpty { withProblems += 1 }
            if expected.count > 1 { several += 1 }
        }
        #expect(withProblems > 2_000)
        #expect(several > 1_000)
    }
}
