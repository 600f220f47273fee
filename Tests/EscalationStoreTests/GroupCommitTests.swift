import EscalationCore
import EscalationEngine
import Foundation
import Testing

@testable import EscalationStore

/// Group commit: what arrives while a batch is written shares the next write; each caller hears its own outcome.
@Suite("Group commit")
struct GroupCommitTests {
    /// A writer that holds its first batch until released, recording every batch it is given.
    final class Writer: @unchecked Sendable {
        let lock = NSLock()
        var batches: [[Int]] = []
        var gate: CheckedContinuation<Void, Never>?
        var holding = true

        func write(_ batch: [Int]) async throws -> [Int: any Error] {
            let hold = lock.withLock {
                batches.append(batch)
                return batches.count == 1 && holding
            }
            if hold { await withCheckedContinuation { continuation in lock.withLock { gate = continuation } } }
            // Item 13 fails on its own; the others of its batch are written.
            return Dictionary(uniqueKeysWithValues: batch.enumerated().filter { $0.element == 13 }.map { ($0.offset, CancellationError() as any Error) })
        }

        func release() {
            let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
                holding = false
                defer { gate = nil }
                return gate
            }
            waiting?.resume()
        }
    }

    @Test("items submitted while a write runs share the next write; a failing item fails alone")
    func batches() async throws {
        let writer = Writer()
        let batcher = CommitBatcher<Int>(maxBatch: 100)
        batcher.attach { try await writer.write($0) }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            group.addTask { (0, (try? await batcher.submit(0)) != nil) }
            // Wait for the first write to start and hold, then submit 30 more while it is held.
            while writer.lock.withLock({ writer.gate == nil }) { await Task.yield() }
            for item in 1...30 { group.addTask { (item, (try? await batcher.submit(item)) != nil) } }
            while batcher.lock.withLock({ batcher.pendingCount }) < 30 { await Task.yield() }
            writer.release()
            var collected: [Int: Bool] = [:]
            for await (item, ok) in group { collected[item] = ok }
            return collected
        }
        #expect(writer.batches.count == 2)
        #expect(writer.batches.first == [0])
        #expect(writer.batches.last?.sorted() == Array(1...30))
        #expect(results.filter { !$0.value }.map(\.key) == [13])
        #expect(batcher.writes == 2)
    }

    @Test("on the SQLite store, concurrent transitions all land, in fewer transactions than transitions")
    func sqliteGroupCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-group-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteIncidentStore(path: path)
        let now = Instant(seconds: 1_795_000_000)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let state = IncidentState(id: "g-\(index)", policy: "p", version: "v", title: "t", fields: [:], triggeredAt: now)
                    try await store.commit(StoreChange(incident: StoredIncident(id: "g-\(index)", organisation: "acme", state: state, createdAt: now, updatedAt: now), log: [], addTimers: [], removeTimers: [], outbox: []))
                }
            }
            try await group.waitForAll()
        }
        for index in [0, 99, 199] { #expect(try await store.incident(id: "g-\(index)") != nil) }
        #expect(store.batcher.writes < 200, "\(store.batcher.writes) transactions for 200 transitions")
    }
}
