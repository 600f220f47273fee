import EscalationCore
import EscalationEngine
import Foundation
import Testing

@testable import EscalationStore

/// A delivered result is committed without an fsync of its own; the writer must be back to `synchronous = FULL`
/// right after, so every other commit stays fsynced.
@Suite("SQLite store: delivered results")
struct DeliveredResultTests {
    static let now = Instant(seconds: 1_795_000_000)

    static func change(_ id: String, key: String) -> StoreChange {
        let state = IncidentState(id: id, policy: "p", version: "v", title: "t", fields: [:], triggeredAt: now)
        let item = OutboxItem(
            idempotencyKey: key, incident: id, organisation: "acme", effect: "{}", channel: "sink", nextAttempt: now, deadline: now.adding(seconds: 600),
            createdAt: now)
        return StoreChange(
            incident: StoredIncident(id: id, organisation: "acme", state: state, createdAt: now, updatedAt: now), log: [], addTimers: [], removeTimers: [],
            outbox: [item])
    }

    @Test("each kind of result is saved with its log line, and the writer is FULL again after each")
    func resultsSaved() async throws {
        try await SQLiteHardeningTests.withStore { store, _ in
            for (index, status) in [OutboxItem.Status.delivered, .failed, .pending, .delivered].enumerated() {
                let id = "d-\(index)"
                try await store.commit(Self.change(id, key: "\(id)/k"))
                var item = try #require(try await store.deliveries(incident: id).first)
                item.status = status
                item.attempts = 1
                item.detail = "result \(index)"
                try await store.updateDelivery(item, log: [EventLogEntry(incident: id, at: Self.now, kind: "delivery", text: "sink: \(status.rawValue)")])
                #expect(try await store.writerPragma("synchronous") == "2", "after a \(status.rawValue) result")
                let saved = try #require(try await store.deliveries(incident: id).first)
                #expect(saved.status == status && saved.attempts == 1 && saved.detail == "result \(index)")
                #expect(try await store.log(incident: id).map(\.text) == ["sink: \(status.rawValue)"])
            }
        }
    }

    @Test("a delivered result in a batch with a transition is written in its fsynced transaction; results alone without an fsync; FULL again after both")
    func batched() async throws {
        try await SQLiteHardeningTests.withStore { store, _ in
            try await store.commit(Self.change("b-0", key: "b-0/k"))
            try await store.commit(Self.change("b-1", key: "b-1/k"))
            var first = try #require(try await store.deliveries(incident: "b-0").first)
            first.status = .delivered
            let line = EventLogEntry(incident: "b-0", at: Self.now, kind: "delivery", text: "sink: delivered")
            let mixed = try await store.writeNow([
                .transition(Self.change("b-2", key: "b-2/k"), stateJSON: SQLiteIncidentStore.encode(Self.change("b-2", key: "b-2/k").incident.state)),
                .delivered(first, log: [line]),
            ])
            #expect(mixed.failures.isEmpty && !mixed.unsynced)
            #expect(try await store.writerPragma("synchronous") == "2")
            #expect(try await store.deliveries(incident: "b-0").first?.status == .delivered)
            #expect(try await store.log(incident: "b-0").map(\.text) == ["sink: delivered"])
            #expect(try await store.incident(id: "b-2") != nil)
            var second = try #require(try await store.deliveries(incident: "b-1").first)
            second.status = .delivered
            var third = try #require(try await store.deliveries(incident: "b-2").first)
            third.status = .delivered
            let alone = try await store.writeNow([.delivered(second, log: []), .delivered(third, log: [])])
            #expect(alone.failures.isEmpty && alone.unsynced)
            #expect(try await store.writerPragma("synchronous") == "2")
            #expect(try await store.deliveries(incident: "b-1").first?.status == .delivered)
            #expect(try await store.deliveries(incident: "b-2").first?.status == .delivered)
        }
    }

    @Test("a delivered result saved from a task cancelled at once is saved all the same, and the writer is FULL again")
    func cancelled() async throws {
        try await SQLiteHardeningTests.withStore { store, _ in
            for index in 0..<20 {
                let id = "c-\(index)"
                try await store.commit(Self.change(id, key: "\(id)/k"))
                var item = try #require(try await store.deliveries(incident: id).first)
                item.status = .delivered
                let task = Task { [item] in try await store.updateDelivery(item, log: []) }
                task.cancel()
                try await task.value
                #expect(try await store.deliveries(incident: id).first?.status == .delivered)
                #expect(try await store.writerPragma("synchronous") == "2")
            }
        }
    }

    @Test("a delivered result written, then the store reopened (as after a crash of the process): the result is there")
    func reopened() async throws {
        try await SQLiteHardeningTests.withStore { store, path in
            try await store.commit(Self.change("r", key: "r/k"))
            var item = try #require(try await store.deliveries(incident: "r").first)
            item.status = .delivered
            try await store.updateDelivery(item, log: [])
            let reopened = try SQLiteIncidentStore(path: path)
            #expect(try await reopened.deliveries(incident: "r").first?.status == .delivered)
            #expect(try await reopened.writerPragma("synchronous") == "2")
        }
    }
}

/// The flushes of deferred results, run when a test says so.
final class ManualFlushes: @unchecked Sendable {
    let lock = NSLock()
    var waiting: [@Sendable () -> Void] = []

    /// Schedules a flush (keeps it).
    func schedule(_ flush: @escaping @Sendable () -> Void) { lock.withLock { waiting.append(flush) } }

    /// Runs the flushes scheduled so far.
    func runAll() { for flush in lock.withLock({ defer { waiting = [] }; return waiting }) { flush() } }

    var count: Int { lock.withLock { waiting.count } }
}

extension DeliveredResultTests {
    @Test("a delivered result schedules one flush (an fsynced write); more results before it runs share it; after it, the next schedules again")
    func flushScheduled() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-flush-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let flushes = ManualFlushes()
        let store = try SQLiteIncidentStore(path: path) { flushes.schedule($0) }
        func deliver(_ id: String, _ status: OutboxItem.Status = .delivered) async throws {
            try await store.commit(Self.change(id, key: "\(id)/k"))
            var item = try #require(try await store.deliveries(incident: id).first)
            item.status = status
            try await store.updateDelivery(item, log: [])
        }
        try await deliver("a", .failed)
        #expect(flushes.count == 0, "a failure is fsynced by its own commit")
        try await deliver("b")
        try await deliver("c")
        #expect(flushes.count == 1)
        flushes.runAll()
        // The flush runs on the writer's queue: a write after it returns once it is done.
        try await store.probeWrite()
        #expect(try await store.writerPragma("synchronous") == "2")
        try await deliver("d")
        #expect(flushes.count == 1)
    }
}
