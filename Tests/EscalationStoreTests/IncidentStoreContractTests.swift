import EscalationCore
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// Both stores keep the same contract (EscalationTesting's `IncidentStoreContract`), each check on a fresh store.
@Suite("Incident store contract")
struct IncidentStoreContractTests {
    @Test("the in-memory store", arguments: IncidentStoreContract.all)
    func inMemory(_ check: IncidentStoreContract) async throws {
        try await check.run(on: InMemoryIncidentStore())
    }

    @Test("the SQLite store", arguments: IncidentStoreContract.all)
    func sqlite(_ check: IncidentStoreContract) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-contract-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await check.run(on: try SQLiteIncidentStore(path: path))
    }

    @Test("a store that breaks the contract is caught")
    func catchesABrokenStore() async throws {
        // A store that forgets timers: the timers check must fail, not pass vacuously.
        await #expect(throws: IncidentStoreContract.Violation.self) {
            try await IncidentStoreContract.timers.run(on: ForgetfulStore())
        }
    }
}

/// An in-memory store that drops every timer it is given.
actor ForgetfulStore: IncidentStore {
    let inner = InMemoryIncidentStore()
    func commit(_ change: StoreChange) async throws {
        var change = change
        change.addTimers = []
        try await inner.commit(change)
    }
    func tasks(incident: String) async throws -> [StoredTask] { try await inner.tasks(incident: incident) }
    func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await inner.policySnapshot(organisation: organisation, version: version)
    }
    func incident(id: String) async throws -> StoredIncident? { try await inner.incident(id: id) }
    func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await inner.openIncident(organisation: organisation, dedupKey: dedupKey)
    }
    func incidents(_ query: IncidentQuery) async throws -> IncidentPage { try await inner.incidents(query) }
    func openIncidentCount() async throws -> Int { try await inner.openIncidentCount() }
    func log(incident: String) async throws -> [EventLogEntry] { try await inner.log(incident: incident) }
    func timers() async throws -> [StoredTimer] { try await inner.timers() }
    func removeTimer(id: String) async throws { try await inner.removeTimer(id: id) }
    func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] { try await inner.claimDeliveries(now: now, budget: budget) }
    func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? { try await inner.nextDeliveryDue(excluding: full) }
    func interruptedDeliveries() async throws -> [OutboxItem] { try await inner.interruptedDeliveries() }
    func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws { try await inner.updateDelivery(item, log: log) }
    func deliveries(incident: String?) async throws -> [OutboxItem] { try await inner.deliveries(incident: incident) }
    func append(_ entries: [EventLogEntry]) async throws { try await inner.append(entries) }
    func addPendingEvent(_ event: PendingEvent) async throws { try await inner.addPendingEvent(event) }
    func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] { try await inner.pendingEvents(key, since: since) }
}
