import EscalationCore
import EscalationEngine
import Foundation
import Testing

@testable import EscalationStore

/// Each write of a batch runs in a savepoint whose statements are prepared once: a write that fails is rolled back
/// alone (rows it wrote before failing included), the others of its batch are committed, and the next batch runs on
/// a clean transaction.
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
            for batchNumber in 0..<150 {
                let ids = (0..<Int.random(in: 2...8, using: &random)).map { index in
                    (Int.random(in: 0..<4, using: &random) == 0 ? "bad" : "ok") + "-\(batchNumber)-\(index)"
                }
                let result = try await store.writeNow(ids.map(Self.transition))
                let failing = ids.indices.filter { ids[$0].hasPrefix("bad") }
                #expect(Set(result.failures.keys) == Set(failing), "batch \(batchNumber): \(ids)")
                #expect(!result.unsynced)
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
            // A batch of one has no savepoint: its failure is the batch's error.
            await #expect(throws: (any Error).self) { _ = try await store.writeNow([Self.transition("bad-alone")]) }
            #expect(try await store.incident(id: "bad-alone") == nil)
            // Every savepoint was released: the store still commits.
            guard case .transition(let change, _) = Self.transition("ok-after") else { return }
            try await store.commit(change)
            #expect(try await store.incident(id: "ok-after") != nil)
        }
    }
}
