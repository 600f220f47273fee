import EscalationCore
import EscalationEngine
import EscalationStore
import EscalationTesting
import Foundation
import Testing

@testable import EscalationExecutor

/// The dedup keys of open incidents kept in memory: a trigger with a key no open incident holds opens its incident
/// without reading the store; one with a held key joins the open incident, as before.
@Suite("Dedup keys in memory", .timeLimit(.minutes(1)))
struct DedupKeyTests {
    static func trigger(_ executor: Executor, _ key: String) async throws -> Executor.Triggered {
        try await executor.trigger(organisation: "acme", policy: nil, title: key, fields: [:], dedupKey: key)
    }

    @Test("a new key opens without a read of the open incident; a held key is read and joined; a resolved one opens anew")
    func reads() async throws {
        let store = GatedStore(together: 1)
        let executor = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        let first = try await Self.trigger(executor, "disk")
        #expect(first.created)
        #expect(await store.openIncidentReads == 0)
        let again = try await Self.trigger(executor, "disk")
        #expect(!again.created)
        #expect(again.incident.id == first.incident.id)
        #expect(await store.openIncidentReads == 1)
        try await executor.handle(incident: first.incident.id, event: .resolve(by: "alice", scope: nil, outcome: nil))
        let after = try await Self.trigger(executor, "disk")
        #expect(after.created)
        #expect(after.incident.id != first.incident.id)
        #expect(await store.openIncidentReads == 1)
        // A restarted executor reads the keys of open incidents back from the store.
        let restarted = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        let joined = try await Self.trigger(restarted, "disk")
        #expect(!joined.created)
        #expect(joined.incident.id == after.incident.id)
        #expect(try await Self.trigger(restarted, "cpu").created)
    }

    @Test("a change committed while the open incidents are read is not lost: it is replayed onto the read")
    func journal() async throws {
        let store = GatedStore(together: 1)
        let first = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        let held = try await Self.trigger(first, "held").incident
        let executor = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        await store.holdListings()
        // The first trigger of the new executor reads the open incidents (and is held after reading them) ...
        let opening = Task { try await Self.trigger(executor, "new").created }
        while await store.listingsHeld == 0 { await Task.yield() }
        // ... while the incident it read as open is resolved.
        try await executor.handle(incident: held.id, event: .resolve(by: "alice", scope: nil, outcome: nil))
        await store.releaseListings()
        #expect(try await opening.value)
        #expect(await executor.openDedupKeys["acme"]?["held"] == nil)
        #expect(await executor.openDedupKeys["acme"]?["new"]?.count == 1)
    }

    @Test("random rounds of concurrent triggers on a few keys, resolves and failing commits: one open incident per key, as the store says")
    func randomRounds() async throws {
        var generator = SplitMix64(seed: 0xDED0)
        let store = GatedStore(together: 1, seed: 11)
        let executor = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        let keys = (0..<6).map { "key-\($0)" }
        for round in 0..<150 {
            let open = try await store.inner.incidents(organisation: "acme", limit: 10_000).filter(\.state.isOpen)
            let triggers = (0..<Int.random(in: 0...6, using: &generator)).map { _ in keys[Int.random(in: 0..<keys.count, using: &generator)] }
            let resolves = Array(open.map(\.id).shuffled(using: &generator).prefix(Int.random(in: 0...2, using: &generator)))
            let failEvery = UInt64.random(in: 2...8, using: &generator)
            await store.set(together: 1) { $0.next() % failEvery == 0 }
            // Which keys an open incident held before the round: a trigger with one of them joins it (unless that
            // incident is resolved in the same round, when it may open a new one).
            let heldBefore = Dictionary(open.compactMap { incident in incident.state.dedupKey.map { ($0, incident.id) } }, uniquingKeysWith: { first, _ in first })
            let outcomes = try await withThrowingTaskGroup(of: (String, Executor.Triggered?).self) { group in
                for key in triggers { group.addTask { (key, try? await Self.trigger(executor, key)) } }
                for id in resolves {
                    group.addTask {
                        _ = try? await executor.handle(incident: id, event: .resolve(by: "alice", scope: nil, outcome: nil))
                        return ("", nil)
                    }
                }
                var collected: [(String, Executor.Triggered?)] = []
                for try await outcome in group { collected.append(outcome) }
                return collected
            }
            for (key, triggered) in outcomes {
                guard let triggered, let holder = heldBefore[key], !resolves.contains(holder) else { continue }
                #expect(!triggered.created && triggered.incident.id == holder, "round \(round): \(key) opened a second incident")
            }
            let stored = try await store.inner.incidents(organisation: "acme", limit: 10_000).filter(\.state.isOpen)
            var byKey: [String: [String]] = [:]
            for incident in stored { if let key = incident.state.dedupKey { byKey[key, default: []].append(incident.id) } }
            #expect(byKey.values.allSatisfy { $0.count == 1 }, "round \(round): \(byKey)")
            // Before the first trigger nothing is loaded (and no incident is open).
            #expect((await executor.openDedupKeys["acme"]) ?? [:] == byKey, "round \(round)")
        }
    }
}
