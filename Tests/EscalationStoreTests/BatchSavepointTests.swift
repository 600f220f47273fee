import EscalationCore
import EscalationEngine
import Foundation
import Testing

@testable import EscalationStore

/// A batch is written without savepoints; when one of its writes fails, that transaction is rolled back and the batch
/// written again with a savepoint per write, whose statements are prepared once: a write that fails is rolled back
/// alone (rows it wrote before failing included), the others of its batch are committed once, and the next batch runs
/// on a clean transaction.
@Suite("SQLite store: a batch's savepoints")
struct BatchSavepointTests {
    static let now = Instant(seconds: 1_795_000_000)

    /// A transition writing an incident row, a log line and an outbox item (the log line is written after the row).
    static func transition(_ id: String) -> PendingCommit {
        let state = IncidentState(id: id, policy: "p", version: "v", title: "t", fields: [:], triggeredAt: now)
        let item = OutboxItem(
            idempotencyKey: "\(id)/k", incident: id, organisation: "acme", effect: "{}", channel: "sink", nextAttempt: now,
            deadline: now.adding(seconds: 600), createdAt: now)
        let change = StoreChange(
            incident: StoredIncident(id: id, organisation: "acme", state: state, createdAt: now, updatedAt: now),
            log: [EventLogEntry(incident: id, at: now, kind: "event", text: "triggered \(id)")], addTimers: [], removeTimers: [], outbox: [item])
        return .transition(change, stateJSON: SQLiteIncidentStore.encode(state))
    }

    @Test("random batches with failing writes: each failing write is rolled back alone, the others committed")
    func failingWritesRolledBackAlone() async throws {
        try await SQLiteHardeningTests.withStore { store, _ in
            // A log line of an incident whose id starts with "bad" is refused after its incident row was written, so
            // only the savepoint's rollback can remove that row.
            try await store.executeOnWriter(
                "CREATE TRIGGER refuse_bad BEFORE INSERT ON event_log WHEN NEW.incident LIKE 'bad%' BEGIN SELECT RAISE(ABORT, 'refused'); END")
            var random = SplitMix64(seed: 0x15_0601)
            var committed: [String] = []
            var refused: [String] = []
            var rewrittenCount = 0
            for batchNumber in 0..<150 {
                let ids = (0..<Int.random(in: 2...8, using: &random)).map { index in
                    (Int.random(in: 0..<4, using: &random) == 0 ? "bad" : "ok") + "-\(batchNumber)-\(index)"
                }
                let result = try await store.writeNow(ids.map(Self.transition))
                let failing = ids.indices.filter { ids[$0].hasPrefix("bad") }
                #expect(Set(result.failures.keys) == Set(failing), "batch \(batchNumber): \(ids)")
                #expect(!result.unsynced)
                // Written a second time, a savepoint each, only when a write failed without savepoints.
                #expect(result.rewritten == !failing.isEmpty, "batch \(batchNumber): \(ids)")
                if result.rewritten { rewrittenCount += 1 }
                committed += ids.filter { !$0.hasPrefix("bad") }
                refused += ids.filter { $0.hasPrefix("bad") }
            }
            for id in committed {
                #expect(try await store.incident(id: id) != nil, "\(id)")
                #expect(try await store.log(incident: id).map(\.text) == ["triggered \(id)"])
                #expect(try await store.deliveries(incident: id).map(\.idempotencyKey) == ["\(id)/k"])
            }
            for id in refused {
                #expect(try await store.incident(id: id) == nil, "\(id)")
                #expect(try await store.deliveries(incident: id).isEmpty)
            }
            #expect(!committed.isEmpty && !refused.isEmpty)
            #expect(rewrittenCount > 0 && rewrittenCount < 150)
            // A batch of one has no savepoint: its failure is the batch's error.
            await #expect(throws: (any Error).self) { _ = try await store.writeNow([Self.transition("bad-alone")]) }
            #expect(try await store.incident(id: "bad-alone") == nil)
            // Every savepoint was released: the store still commits.
            guard case .transition(let change, _) = Self.transition("ok-after") else { return }
            try await store.commit(change)
            #expect(try await store.incident(id: "ok-after") != nil)
        }
    }

    @Test("a write that makes SQLite roll the whole transaction back fails its batch, with and without savepoints; nothing of it is committed")
    func writeRollingBackTheTransaction() async throws {
        try await SQLiteHardeningTests.withStore { store, _ in
            // RAISE(ROLLBACK) ends the transaction itself, not only the statement: the savepoints go with it.
            try await store.executeOnWriter(
                "CREATE TRIGGER roll_back BEFORE INSERT ON event_log WHEN NEW.incident LIKE 'gone%' BEGIN SELECT RAISE(ROLLBACK, 'rolled back'); END")
            for position in 0..<3 {
                var ids = ["a-\(position)", "b-\(position)", "c-\(position)"]
                ids[position] = "gone-\(position)"
                await #expect(throws: (any Error).self) { _ = try await store.writeNow(ids.map(Self.transition)) }
                for id in ids { #expect(try await store.incident(id: id) == nil, "\(id)") }
            }
            // The writer is out of every transaction: the next batch is committed.
            let result = try await store.writeNow(["after-1", "after-2"].map(Self.transition))
            #expect(result.failures.isEmpty && !result.rewritten)
            #expect(try await store.incident(id: "after-2") != nil)
        }
    }

    /// A transition queueing deliveries with these keys (a log line first, then the outbox rows).
    static func queueing(_ id: String, keys: [String]) -> PendingCommit {
        let state = IncidentState(id: id, policy: "p", version: "v", title: "t", fields: [:], triggeredAt: now)
        let items = keys.map { key in
            OutboxItem(
                idempotencyKey: key, incident: id, organisation: "acme", effect: "{}", channel: "sink", nextAttempt: now,
                deadline: now.adding(seconds: 600), createdAt: now)
        }
        let change = StoreChange(
            incident: StoredIncident(id: id, organisation: "acme", state: state, createdAt: now, updatedAt: now),
            log: [EventLogEntry(incident: id, at: now, kind: "event", text: "triggered \(id)")], addTimers: [], removeTimers: [], outbox: items)
        return .transition(change, stateJSON: SQLiteIncidentStore.encode(state))
    }

    @Test("deliveries take the positions a read of MAX(position) per transition gave, with keys already queued and writes rolled back")
    func positionsAsReadPerTransition() async throws {
        try await SQLiteHardeningTests.withStore { store, _ in
            // A delivery whose key contains "refuse" fails its write after the deliveries before it were inserted.
            try await store.executeOnWriter(
                "CREATE TRIGGER refuse_key BEFORE INSERT ON outbox WHEN NEW.idempotency_key LIKE '%refuse%' BEGIN SELECT RAISE(ABORT, 'refused'); END")
            var random = SplitMix64(seed: 0x15_0603)
            // The model: each write that commits reads the last position, and its new keys take the ones after it.
            var expected: [String: Int64] = [:]
            var queued: [String] = []
            for batchNumber in 0..<150 {
                var writes: [PendingCommit] = []
                var plans: [[String]] = []
                for index in 0..<Int.random(in: 2...6, using: &random) {
                    var keys: [String] = []
                    for item in 0..<Int.random(in: 0...3, using: &random) {
                        switch Int.random(in: 0..<8, using: &random) {
                        case 0 where !queued.isEmpty: keys.append(queued[Int.random(in: 0..<queued.count, using: &random)])
                        case 1: keys.append("refuse-\(batchNumber)-\(index)-\(item)")
                        default: keys.append("k-\(batchNumber)-\(index)-\(item)")
                        }
                    }
                    plans.append(keys)
                    writes.append(Self.queueing("i-\(batchNumber)-\(index)", keys: keys))
                }
                let result = try await store.writeNow(writes)
                #expect(result.rewritten == plans.contains { $0.contains { $0.hasPrefix("refuse") } }, "batch \(batchNumber)")
                for (index, keys) in plans.enumerated() {
                    let refused = keys.contains { $0.hasPrefix("refuse") }
                    #expect((result.failures[index] != nil) == refused, "batch \(batchNumber) write \(index): \(keys)")
                    guard !refused else { continue }
                    let last = expected.values.max() ?? 0
                    for (offset, key) in keys.enumerated() where expected[key] == nil {
                        expected[key] = last + Int64(offset) + 1
                        queued.append(key)
                    }
                }
            }
            var found: [String: Int64] = [:]
            for item in try await store.deliveries(incident: nil) {
                found[item.idempotencyKey] = try await store.position(of: item.idempotencyKey)
            }
            #expect(found == expected)
            #expect(expected.count > 300)
        }
    }
}
