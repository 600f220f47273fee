import EscalationCore
import EscalationEngine
@testable import EscalationStore
import Foundation
import Testing

/// The SQLite store's promises beyond the contract: commits are fsynced, and no hot-path query scans a table.
@Suite("SQLite store: durability and query plans")
struct SQLiteHardeningTests {
    static func withStore<T>(_ body: (SQLiteIncidentStore, String) async throws -> T) async throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-hardening-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        return try await body(try SQLiteIncidentStore(path: path), path)
    }

    @Test("the connection that commits runs with synchronous = FULL (each commit fsynced), also after reopening")
    func fullSynchronous() async throws {
        try await Self.withStore { store, path in
            // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA); GRDB's WAL default would be 1.
            #expect(try await store.writerPragma("synchronous") == "2")
            #expect(try await store.writerPragma("journal_mode") == "wal")
            #expect(try await store.writerPragma("fullfsync") == "1")
            // 2 is MEMORY: the statement journals of a batch's savepoints are not written to a temporary file.
            #expect(try await store.writerPragma("temp_store") == "2")
            let reopened = try SQLiteIncidentStore(path: path)
            #expect(try await reopened.writerPragma("synchronous") == "2")
        }
    }

    @Test(
        "listings and incident reads at once, far more than the store's readers: all finish (no read holds a thread of the pool while it waits for a reader)",
        .timeLimit(.minutes(1)))
    func concurrentReadsFinish() async throws {
        try await Self.withStore { store, _ in
            let ids = (0..<20).map { "i\($0)" }
            let now = Instant(seconds: 1_795_000_000)
            for id in ids {
                let state = IncidentState(id: id, policy: "p", version: "v", title: "t", fields: [:], triggeredAt: now)
                try await store.commit(
                    StoreChange(
                        incident: StoredIncident(id: id, organisation: "acme", state: state, createdAt: now, updatedAt: now), log: [], addTimers: [],
                        removeTimers: [], outbox: []))
            }
            // Before, a listing resolved to GRDB's blocking read: with both pool threads blocked waiting for a reader and
            // every reader held by an async read waiting for a pool thread, nothing moved again.
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<200 {
                    if index.isMultiple(of: 2) {
                        group.addTask { try await store.incidents(IncidentQuery(organisation: "acme", limit: 5)).incidents.count }
                    } else {
                        group.addTask { try await store.incident(id: ids[index % ids.count]) == nil ? 0 : 1 }
                    }
                }
                var counts: [Int] = []
                for try await count in group { counts.append(count) }
                return counts
            }
            #expect(counts.count == 200)
            #expect(counts.allSatisfy { $0 == 5 || $0 == 1 })
        }
    }

    @Test("every hot-path statement is served by an index: no scan of outbox or incidents, timers read in index order")
    func queryPlans() async throws {
        try await Self.withStore { store, _ in
            var scans: [String] = []
            for (name, sql, arguments) in SQL.hotPath {
                let plan = try await store.queryPlan(sql, arguments: arguments)
                #expect(!plan.isEmpty, "\(name): no plan")
                for step in plan {
                    let scansTable = ["outbox", "incidents", "event_log", "tasks", "pending_events", "policy_versions"].contains {
                        step.hasPrefix("SCAN \($0)")
                    }
                    if scansTable || step.contains("TEMP B-TREE FOR ORDER BY") { scans.append("\(name): \(step)") }
                }
                if name == "timers" { #expect(plan.contains { $0.contains("USING INDEX timers_at") }, "timers: \(plan)") }
                if name == "nextPosition" { #expect(plan.contains { $0.contains("outbox_position") }, "nextPosition: \(plan)") }
                if name == "openIncident" { #expect(plan.contains { $0.contains("incidents_open_dedup") }, "openIncident: \(plan)") }
                if name == "dueItems" { #expect(plan.contains { $0.contains("COVERING INDEX outbox_due") }, "dueItems: \(plan)") }
            }
            #expect(scans.isEmpty, "\(scans.joined(separator: "\n"))")
        }
    }

    @Test("the hot-path queries stay indexed on a database with history")
    func plansWithHistory() async throws {
        try await Self.withStore { store, _ in
            let t0 = Instant(seconds: 1_795_000_000)
            for index in 0..<120 {
                let id = "inc-\(index)"
                var state = IncidentState(id: id, policy: "outage", version: "v1", title: "x", dedupKey: "k-\(index % 7)", fields: [:], triggeredAt: t0)
                state.status = index % 3 == 0 ? .open : .resolved
                let item = OutboxItem(
                    idempotencyKey: "\(id)/n", incident: id, organisation: index % 2 == 0 ? "acme" : "other", effect: "{}", channel: "email",
                    status: index % 5 == 0 ? .pending : .delivered, nextAttempt: t0, deadline: t0.adding(seconds: 600), createdAt: t0)
                try await store.commit(
                    StoreChange(
                        incident: StoredIncident(id: id, organisation: index % 2 == 0 ? "acme" : "other", state: state, createdAt: t0, updatedAt: t0),
                        log: [], addTimers: [StoredTimer(id: "\(id)/t", incident: id, at: t0)], removeTimers: [], outbox: [item]))
            }
            for (name, sql, arguments) in SQL.hotPath {
                let plan = try await store.queryPlan(sql, arguments: arguments)
                #expect(!plan.contains { $0.hasPrefix("SCAN outbox") || $0.hasPrefix("SCAN incidents") }, "\(name): \(plan)")
            }
        }
    }
}
