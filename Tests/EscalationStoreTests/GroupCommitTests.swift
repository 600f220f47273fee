import EscalationCore
import EscalationEngine
import Foundation
import Synchronization
import Testing

@testable import EscalationStore

/// Group commit: what arrives while a batch is written shares the next write; each caller hears its own outcome.
@Suite("Group commit")
struct GroupCommitTests {
    /// A writer that holds its first batch until released (blocking the queue it writes on, as a slow fsync would),
    /// recording every batch it is given.
    final class Writer: @unchecked Sendable {
        let lock = NSLock()
        var batches: [[Int]] = []
        var holding = true
        var held = false
        let gate = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "group-commit-test-writer")

        func write(_ batch: [Int]) throws -> [Int: any Error] {
            let hold = lock.withLock {
                batches.append(batch)
                held = batches.count == 1 && holding
                return held
            }
            if hold { gate.wait() }
            // Item 13 fails on its own; the others of its batch are written.
            return Dictionary(uniqueKeysWithValues: batch.enumerated().filter { $0.element == 13 }.map { ($0.offset, CancellationError() as any Error) })
        }

        func release() {
            lock.withLock { holding = false }
            gate.signal()
        }
    }

    @Test("items submitted while a write runs share the next write; a failing item fails alone")
    func batches() async throws {
        let writer = Writer()
        let batcher = CommitBatcher<Int>(maxBatch: 100)
        batcher.attach { drain in writer.queue.async { drain { try writer.write($0) } } }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            group.addTask { (0, (try? await batcher.submit(0)) != nil) }
            // Wait for the first write to start and hold, then submit 30 more while it is held.
            while !writer.lock.withLock({ writer.held }) { await Task.yield() }
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

    @Test("more waiting than maxBatch: batches of at most maxBatch, oldest first, each caller resumed with its own outcome")
    func batchesCappedAtMaxBatch() async throws {
        let writer = Writer()
        let batcher = CommitBatcher<Int>(maxBatch: 4)
        batcher.attach { drain in writer.queue.async { drain { try writer.write($0) } } }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            group.addTask { (0, (try? await batcher.submit(0)) != nil) }
            while !writer.lock.withLock({ writer.held }) { await Task.yield() }
            // One at a time, so that they wait in this order.
            for item in 11...20 {
                group.addTask { (item, (try? await batcher.submit(item)) != nil) }
                while batcher.lock.withLock({ batcher.pendingCount }) < item - 10 { await Task.yield() }
            }
            writer.release()
            var collected: [Int: Bool] = [:]
            for await (item, ok) in group { collected[item] = ok }
            return collected
        }
        #expect(writer.batches == [[0], [11, 12, 13, 14], [15, 16, 17, 18], [19, 20]])
        #expect(results.filter { !$0.value }.map(\.key) == [13])
        #expect(results.count == 11)
        #expect(batcher.writes == 4)
        // The batcher is idle again: the next item is written alone.
        try await batcher.submit(21)
        #expect(writer.batches.last == [21])
    }

    @Test("a batch whose whole write fails fails each of its callers; the next batch is written")
    func wholeBatchFails() async throws {
        struct DiskFull: Error {}
        let queue = DispatchQueue(label: "group-commit-test-failing")
        let batcher = CommitBatcher<Int>(maxBatch: 100)
        let written = Mutex<[[Int]]>([])
        batcher.attach { drain in
            queue.async {
                drain { batch in
                    written.withLock { $0.append(batch) }
                    if batch.contains(1) { throw DiskFull() }
                    return [:]
                }
            }
        }
        await #expect(throws: DiskFull.self) { try await batcher.submit(1) }
        try await batcher.submit(2)
        #expect(written.withLock { $0 } == [[1], [2]])
    }

    @Test("work queued on the writer while a batch is written runs before the next batch (a steady stream of items does not keep the queue)")
    func otherWorkInterleaves() async throws {
        let writer = Writer()
        let order = Mutex<[String]>([])
        let batcher = CommitBatcher<Int>(maxBatch: 100)
        batcher.attach { drain in
            writer.queue.async {
                drain { batch in
                    let failures = try writer.write(batch)
                    order.withLock { $0.append("batch \(batch.count)") }
                    return failures
                }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await batcher.submit(0) }
            while !writer.lock.withLock({ writer.held }) { await Task.yield() }
            for item in 1...30 { group.addTask { try? await batcher.submit(item) } }
            while batcher.lock.withLock({ batcher.pendingCount }) < 30 { await Task.yield() }
            // Queued on the writer while the first batch is being written, with 30 items waiting for the next.
            writer.queue.async { order.withLock { $0.append("other") } }
            writer.release()
            await group.waitForAll()
        }
        #expect(order.withLock { $0 } == ["batch 1", "other", "batch 30"])
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
