import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// `nextChannel` and `fallbackReason` read a pending notification where the state keeps it instead of copying it
/// out. They must do what the copying versions did (kept below as the oracles): the same state and effects after
/// `nextChannel`, the same reason, on random notifications (channel lists with delays, `unanswered` waits and groups,
/// every position from not started to past the end, repeated and absent keys).
@Suite("Pending notifications read in place")
struct PendingInPlaceTests {
    static let keys = ["I-1/n1", "I-1/n2", "I-1/n3", "I-1/n9"]

    static func pending(_ rng: inout SplitMix64, key: String) -> PendingNotification {
        let channels = RecipientsInPlaceTests.uses(&rng)
        return PendingNotification(
            key: key, contact: rng.pick(ReachedContactsTests.ids + ["dana@example.org"]), channels: channels, index: rng.int(-1...(channels.count + 1)),
            startedAt: ReachedContactsTests.t0, template: nil, origin: rng.pick(["layer a", "on resolve #1"]), cc: rng.chance(30) ? ["ann"] : [],
            layer: "a", person: nil, ccPeople: nil, alternative: nil)
    }

    static func state(_ rng: inout SplitMix64) -> IncidentState {
        var state = IncidentState(id: "I-1", policy: "p", version: "1", title: "t", fields: [:], triggeredAt: ReachedContactsTests.t0)
        state.status = rng.pick([.open, .open, .acknowledged, .resolved])
        state.sequence = 20
        state.pending = (0..<rng.int(0...4)).map { _ in pending(&rng, key: rng.pick(keys)) }
        state.timers = state.pending.filter { _ in rng.chance(50) }.map {
            PendingTimer(id: "I-1/t\(rng.int(1...9))", at: ReachedContactsTests.t0.adding(seconds: 60), purpose: .fallback(key: $0.key))
        }
        return state
    }

    @Test("the same state, effects and reasons as reading a copy", arguments: [21, 22, 23] as [UInt64])
    func agreesWithTheCopies(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var moved = 0
        for _ in 0..<60 {
            let engine = Engine(graph: RecipientsInPlaceTests.graph(&rng))
            let policy = try #require(engine.index.policyIndex("p"))
            for _ in 0..<50 {
                let state = Self.state(&rng)
                let key = rng.pick(Self.keys)
                let now = ReachedContactsTests.t0.adding(seconds: 120)
                let run = EngineRun(engine: engine, policy: policy, state: state, now: now)
                let oracle = EngineRun(engine: engine, policy: policy, state: state, now: now)
                #expect(run.fallbackReason(key: key) == oracle.oracleFallbackReason(key: key))
                run.nextChannel(key: key, reason: "r")
                oracle.oracleNextChannel(key: key, reason: "r")
                #expect(run.state == oracle.state)
                #expect(run.effects == oracle.effects)
                if !run.effects.isEmpty { moved += 1 }
            }
        }
        #expect(moved > 500)
    }
}

extension EngineRun {
    /// `nextChannel` as it was when it copied the notification out (the oracle).
    func oracleNextChannel(key: String, reason: String) {
        cancelTimers { if case .fallback(let timerKey) = $0 { return timerKey == key }; return false }
        guard let pending = state.pending.first(where: { $0.key == key }) else { return }
        if pending.index + 1 >= pending.channels.count {
            state.pending.removeAll { $0.key == key }
            return record("all channels tried for \(pending.contact) (\(pending.origin))")
        }
        deliver(key: key, reason: reason)
    }

    /// `fallbackReason` as it was when it copied the notification out (the oracle).
    func oracleFallbackReason(key: String) -> String {
        guard let pending = state.pending.first(where: { $0.key == key }), pending.channels.indices.contains(pending.index),
            pending.channels.indices.contains(pending.index + 1), let wait = pending.channels[pending.index + 1].unansweredSeconds
        else { return "no acknowledgement yet" }
        return "\(pending.channels[pending.index].written) not answered within \(PolicyDuration.compact(wait) ?? "0s")"
    }
}
