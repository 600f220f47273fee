import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// The incident state the store writes by hand on every transition must be byte for byte what the sorted encoder
/// writes (the store decodes it back with `JSONDecoder`, and rows written before the change must read the same).
@Suite("Incident state JSON written by hand")
struct IncidentStateJSONTests {
    static func encoded(_ state: IncidentState) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    static func text(_ generator: inout SplitMix64) -> String {
        let pieces = [
            "a", "B", "z", "_", "0", "10", "9", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "日本",
            "😀", "\u{FF21}", " ", "acme-1", "_0",
        ]
        return (0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func optional(_ generator: inout SplitMix64) -> String? { Bool.random(using: &generator) ? nil : text(&generator) }

    static func texts(_ generator: inout SplitMix64) -> [String] { (0..<Int.random(in: 0...3, using: &generator)).map { _ in text(&generator) } }

    static func map(_ generator: inout SplitMix64) -> [String: String] {
        var values: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &generator) { values[text(&generator)] = text(&generator) }
        return values
    }

    static func integer(_ generator: inout SplitMix64) -> Int {
        [0, 1, -1, 7, 3_600, Int.max, Int.min, Int.random(in: -1_000_000...1_000_000, using: &generator)].randomElement(using: &generator) ?? 0
    }

    static func instant(_ generator: inout SplitMix64) -> Instant {
        Instant(seconds: [0, -5, 1_700_000_000, Int64.max, Int64.min, Int64.random(in: 0...2_000_000_000, using: &generator)].randomElement(using: &generator) ?? 0)
    }

    static func uses(_ generator: inout SplitMix64) -> [ChannelUse] {
        (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            ChannelUse(
                channel: text(&generator), afterSeconds: integer(&generator), all: Bool.random(using: &generator) ? texts(&generator) : nil,
                unansweredSeconds: Bool.random(using: &generator) ? integer(&generator) : nil)
        }
    }

    static func contact(_ generator: inout SplitMix64) -> CompiledContact {
        CompiledContact(
            id: text(&generator), name: text(&generator), canAcknowledge: Bool.random(using: &generator), addresses: map(&generator),
            preferences: uses(&generator))
    }

    static func timer(_ generator: inout SplitMix64) -> PendingTimer {
        let purposes: [PendingTimer.Purpose] = [
            .ladder(node: text(&generator)), .repeatPass, .reminder, .fallback(key: text(&generator)), .stageExpiry(stage: text(&generator)), .snooze,
            .deadline(id: text(&generator)), .watchdog(id: text(&generator)),
        ]
        return PendingTimer(id: text(&generator), at: instant(&generator), purpose: purposes.randomElement(using: &generator) ?? .snooze)
    }

    static func notification(_ generator: inout SplitMix64) -> PendingNotification {
        PendingNotification(
            key: text(&generator), contact: text(&generator), channels: uses(&generator), index: integer(&generator), startedAt: instant(&generator),
            template: optional(&generator), origin: text(&generator), cc: texts(&generator), layer: optional(&generator),
            person: Bool.random(using: &generator) ? contact(&generator) : nil,
            ccPeople: Bool.random(using: &generator) ? (0..<Int.random(in: 0...2, using: &generator)).map { _ in contact(&generator) } : nil,
            alternative: optional(&generator), failed: Bool.random(using: &generator) ? texts(&generator) : nil,
            unanswered: Bool.random(using: &generator) ? texts(&generator) : nil, answered: Bool.random(using: &generator) ? Bool.random(using: &generator) : nil)
    }

    static func state(_ generator: inout SplitMix64) -> IncidentState {
        var state = IncidentState(
            id: text(&generator), policy: text(&generator), version: text(&generator), title: text(&generator), dedupKey: optional(&generator),
            fields: map(&generator), triggeredAt: instant(&generator))
        state.status = [.open, .acknowledged, .resolved].randomElement(using: &generator) ?? .open
        state.openScopes = texts(&generator)
        state.resolvedScopes = texts(&generator)
        state.cursor = optional(&generator)
        state.ladderEnd = optional(&generator)
        state.pass = integer(&generator)
        state.timers = (0..<Int.random(in: 0...3, using: &generator)).map { _ in timer(&generator) }
        state.pending = (0..<Int.random(in: 0...3, using: &generator)).map { _ in notification(&generator) }
        state.appliedActions = texts(&generator)
        state.stage = optional(&generator)
        state.postedStages = Bool.random(using: &generator) ? texts(&generator) : nil
        state.acknowledgedBy = optional(&generator)
        state.resolvedBy = optional(&generator)
        state.outcome = optional(&generator)
        state.snoozedUntil = Bool.random(using: &generator) ? instant(&generator) : nil
        state.signalsSeen = Bool.random(using: &generator) ? texts(&generator) : nil
        state.reports = Bool.random(using: &generator) ? integer(&generator) : nil
        state.sequence = integer(&generator)
        state.replyCode = optional(&generator)
        return state
    }

    @Test("random states: the hand-written JSON is the encoder's, byte for byte, and decodes back to the state")
    func randomStates() throws {
        var generator = SplitMix64(seed: 0x5EED_1A7E)
        for _ in 0..<2_000 {
            let state = Self.state(&generator)
            let written = state.sortedJSON
            #expect(written == (try Self.encoded(state)))
            #expect(try JSONDecoder().decode(IncidentState.self, from: Data(written.utf8)) == state)
        }
    }

    @Test("a new incident's state, as the trigger leaves it, is the encoder's")
    func freshState() throws {
        let state = IncidentState(id: "acme-1", policy: "p/1", version: "v1", title: "disk \"full\"", fields: ["b": "2", "a": "1"], triggeredAt: Instant(seconds: 1))
        #expect(state.sortedJSON == (try Self.encoded(state)))
    }
}
