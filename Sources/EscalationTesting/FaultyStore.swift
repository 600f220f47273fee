import EscalationCore
import EscalationEngine
import EscalationStore

/// An in-memory store with faults switched on by tests: writes that fail (a full disk, a read-only file) and
/// timers that are dropped (a store that breaks its contract).
public actor FaultyStore: IncidentStore {
    /// The error a failing write throws.
    public struct DiskFull: Error, CustomStringConvertible {
        /// The message SQLite gives for a full disk.
        public var description: String { "disk I/O error: database or disk is full" }
    }

    private let inner = InMemoryIncidentStore()
    private var failWrites = false
    private let dropTimers: Bool

    /// A store; `dropTimers` makes every commit forget the timers it adds.
    public init(dropTimers: Bool = false) { self.dropTimers = dropTimers }

    /// Makes writes fail (true) or work again (false).
    public func set(failWrites: Bool) { self.failWrites = failWrites }

    private func check() throws { if failWrites { throw DiskFull() } }

    /// Commits unless writes fail; drops the added timers when asked to.
    public func commit(_ change: StoreChange) async throws {
        try check()
        var change = change
        if dropTimers { change.addTimers = [] }
        try await inner.commit(change)
    }
    /// Fails while writes fail.
    public func probeWrite() async throws { try check() }
    /// The inner store's tasks.
    public func tasks(incident: String) async throws -> [StoredTask] { try await inner.tasks(incident: incident) }
    /// The inner store's snapshot.
    public func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await inner.policySnapshot(organisation: organisation, version: version)
    }
    /// The inner store's incident.
    public func incident(id: String) async throws -> StoredIncident? { try await inner.incident(id: id) }
    /// The inner store's open incident.
    public func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await inner.openIncident(organisation: organisation, dedupKey: dedupKey)
    }
    /// The inner store's page.
    public func incidents(_ query: IncidentQuery) async throws -> IncidentPage { try await inner.incidents(query) }
    /// The inner store's count.
    public func openIncidentCount() async throws -> Int { try await inner.openIncidentCount() }
    /// The inner store's log.
    public func log(incident: String) async throws -> [EventLogEntry] { try await inner.log(incident: incident) }
    /// The inner store's timers.
    public func timers() async throws -> [StoredTimer] { try await inner.timers() }
    /// Removes a timer.
    public func removeTimer(id: String) async throws { try await inner.removeTimer(id: id) }
    /// Claims deliveries.
    public func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] {
        try await inner.claimDeliveries(now: now, budget: budget)
    }
    /// The next due delivery.
    public func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? { try await inner.nextDeliveryDue(excluding: full) }
    /// Interrupted deliveries.
    public func interruptedDeliveries() async throws -> [OutboxItem] { try await inner.interruptedDeliveries() }
    /// Updates a delivery unless writes fail.
    public func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
        try check()
        try await inner.updateDelivery(item, log: log)
    }
    /// The inner store's deliveries.
    public func deliveries(incident: String?) async throws -> [OutboxItem] { try await inner.deliveries(incident: incident) }
    /// Appends unless writes fail.
    public func append(_ entries: [EventLogEntry]) async throws {
        try check()
        try await inner.append(entries)
    }
    /// Records a pending event unless writes fail.
    public func addPendingEvent(_ event: PendingEvent) async throws {
        try check()
        try await inner.addPendingEvent(event)
    }
    /// The inner store's pending events.
    public func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] { try await inner.pendingEvents(key, since: since) }
}
