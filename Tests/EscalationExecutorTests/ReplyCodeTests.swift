import EscalationCore
import EscalationEngine
import EscalationStore
import EscalationTesting
import Foundation
import Testing

@testable import EscalationExecutor

/// Reply codes: open incidents of an organisation never share one; a resolved incident's code is free again; the
/// codes in use are kept in memory, so a trigger does not read every open incident.
@Suite("Reply codes")
struct ReplyCodeTests {
    @Test("concurrent triggers get distinct codes; a resolve frees its code for the next incident; a restart reads them back")
    func distinctAndReused() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = InMemoryIncidentStore()
        let executor = try Harness.executor(store: store, clock: clock, log: log)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 {
                group.addTask { try await executor.trigger(organisation: "acme", policy: nil, title: "t\(index)", fields: [:], dedupKey: "k\(index)").incident.id }
            }
            var collected: [String] = []
            for try await id in group { collected.append(id) }
            return collected
        }
        var codes: [String: String] = [:]
        for id in ids { codes[id] = try await executor.incident(id)?.state.replyCode }
        #expect(Set(codes.values) == Set((1...20).map(String.init)))
        // Resolving the incident holding code 7 frees it: the next incident takes 7.
        let seventh = try #require(codes.first { $0.value == "7" }?.key)
        try await executor.handle(incident: seventh, event: .resolve(by: "alice", scope: nil, outcome: nil))
        let next = try await executor.trigger(organisation: "acme", policy: nil, title: "next", fields: [:], dedupKey: "next").incident
        #expect(next.state.replyCode == "7")
        // A new executor on the same store reads the codes in use back: the next free one is 21.
        let restarted = try Harness.executor(store: store, clock: clock, log: log)
        let after = try await restarted.trigger(organisation: "acme", policy: nil, title: "after", fields: [:], dedupKey: "after").incident
        #expect(after.state.replyCode == "21")
    }

    @Test("the triggers of one organisation reach the store together (so they can share a group commit), with distinct codes")
    func triggersCommitTogether() async throws {
        let store = GatedStore(together: 1)
        let executor = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        // The first trigger of the policy version saves its snapshot (the triggers arriving meanwhile wait for it).
        _ = try await executor.trigger(organisation: "acme", policy: nil, title: "first", fields: [:], dedupKey: "first")
        await store.set(together: 8) { _ in false }
        let codes = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await executor.trigger(organisation: "acme", policy: nil, title: "t\(index)", fields: [:], dedupKey: "k\(index)").incident.state.replyCode
                }
            }
            var collected: [String?] = []
            for try await code in group { collected.append(code) }
            return collected
        }
        // Before, each trigger held the organisation's reply-code lock across its commit: one commit at a time.
        #expect(await store.mostTogether == 8)
        #expect(Set(codes.compactMap { $0 }) == Set((2...9).map(String.init)))
    }

    @Test("the first triggers of a policy version, arriving together, encode and write its snapshot once")
    func snapshotOnce() async throws {
        let store = GatedStore(together: 1)
        let executor = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask { _ = try await executor.trigger(organisation: "acme", policy: nil, title: "t\(index)", fields: [:], dedupKey: "k\(index)") }
            }
            try await group.waitForAll()
        }
        #expect(await store.snapshots == 1)
        let version = try #require(try await store.inner.incidents(organisation: "acme", limit: 10).first?.state.version)
        #expect(try await store.inner.policySnapshot(organisation: "acme", version: version) != nil)
    }

    @Test("a trigger whose commit fails gives its code back: the next incident takes it")
    func failedCommitFreesCode() async throws {
        let store = FaultyStore()
        let executor = try Harness.executor(store: store, clock: ManualClock(Harness.start), log: RecordingChannel.Log())
        let first = try await executor.trigger(organisation: "acme", policy: nil, title: "first", fields: [:], dedupKey: "first").incident
        #expect(first.state.replyCode == "1")
        await store.set(failWrites: true)
        await #expect(throws: FaultyStore.DiskFull.self) {
            try await executor.trigger(organisation: "acme", policy: nil, title: "lost", fields: [:], dedupKey: "lost")
        }
        await store.set(failWrites: false)
        let next = try await executor.trigger(organisation: "acme", policy: nil, title: "next", fields: [:], dedupKey: "next").incident
        #expect(next.state.replyCode == "2")
        #expect(await executor.replyCodes["acme"] == ["1", "2"])
    }

    @Test("random rounds of concurrent triggers and resolves, committed in random order, some failing: open incidents never share a code")
    func randomRounds() async throws {
        var generator = SplitMix64(seed: 0x15_4)
        let store = GatedStore(together: 1, seed: 7)
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: store, clock: clock, log: RecordingChannel.Log())
        // The policy version's snapshot is saved first (the first triggers of a version wait for the one that saves it).
        var open = [try await executor.trigger(organisation: "acme", policy: nil, title: "first", fields: [:], dedupKey: "first").incident.id]
        var counter = 0
        for round in 0..<150 {
            let triggers = Int.random(in: 0...5, using: &generator)
            var resolves: [String] = []
            for id in open.shuffled(using: &generator).prefix(Int.random(in: 0...3, using: &generator)) { resolves.append(id) }
            guard triggers + resolves.count > 0 else { continue }
            let failEvery = UInt64.random(in: 2...6, using: &generator)
            await store.set(together: triggers + resolves.count) { $0.next() % failEvery == 0 }
            let keys = (0..<triggers).map { _ in
                counter += 1
                return "k\(counter)"
            }
            let toResolve = resolves
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in keys {
                    group.addTask { _ = try? await executor.trigger(organisation: "acme", policy: nil, title: key, fields: [:], dedupKey: key) }
                }
                for id in toResolve {
                    group.addTask { _ = try? await executor.handle(incident: id, event: .resolve(by: "alice", scope: nil, outcome: nil)) }
                }
                try await group.waitForAll()
            }
            // What the store holds open, and the codes the executor keeps in memory, agree after every round.
            let stored = try await store.inner.incidents(organisation: "acme", limit: 10_000).filter(\.state.isOpen)
            let codes = stored.compactMap(\.state.replyCode)
            #expect(codes.count == stored.count, "round \(round)")
            #expect(Set(codes).count == codes.count, "round \(round): open incidents share a code: \(codes.sorted())")
            #expect(await executor.replyCodes["acme"] == Set(codes), "round \(round)")
            #expect(await store.mostTogether == triggers + resolves.count, "round \(round)")
            open = stored.map(\.id)
        }
        // A new executor reads the same codes back from the store, and takes the smallest free one.
        let restarted = try Harness.executor(store: store.inner, clock: clock, log: RecordingChannel.Log())
        let expected = ReplyRule.freeCode(among: try await store.inner.incidents(organisation: "acme", limit: 10_000).map(\.state).filter(\.isOpen))
        let after = try await restarted.trigger(organisation: "acme", policy: nil, title: "after", fields: [:], dedupKey: "after").incident
        #expect(after.state.replyCode == expected)
    }
}
