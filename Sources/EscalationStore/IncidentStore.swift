import EscalationCore

/// Durable incident storage: state, event log, timers and the delivery outbox.
/// Every engine transition and all its effects are committed together by `commit`.
public protocol IncidentStore: Sendable {
    /// Commits one transition atomically.
    func commit(_ change: StoreChange) async throws
    /// An incident's tasks, oldest first.
    func tasks(incident: String) async throws -> [StoredTask]
    /// The compiled policy saved for an organisation's version, if any.
    func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot?
    /// The incident with this id.
    func incident(id: String) async throws -> StoredIncident?
    /// The open incident of an organisation with this dedup key.
    func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident?
    /// One page of incidents, newest first (by the order they were opened), and the cursor of the next page; served by
    /// an index, so a page costs the same however many incidents came before it.
    func incidents(_ query: IncidentQuery) async throws -> IncidentPage
    /// How many incidents are not resolved (for metrics).
    func openIncidentCount() async throws -> Int
    /// An incident's log, oldest first.
    func log(incident: String) async throws -> [EventLogEntry]
    /// Every pending timer (to re-arm on start).
    func timers() async throws -> [StoredTimer]
    /// Removes a timer once its event has been committed.
    func removeTimer(id: String) async throws
    /// Claims pending deliveries due at `now` within `budget` (in all, and per channel), marking them sending; items of
    /// a channel without room stay pending.
    func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem]
    /// When the earliest pending delivery of a channel not in `full` is due, if any (the executor sleeps until then).
    func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant?
    /// Deliveries left `sending` by a crash (found on start).
    func interruptedDeliveries() async throws -> [OutboxItem]
    /// Saves a delivery's new status, attempts, next attempt and detail, with its log lines, in one transaction.
    func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws
    /// The outbox of an incident (all when nil).
    func deliveries(incident: String?) async throws -> [OutboxItem]
    /// Appends log lines outside a transition (delivery results).
    func append(_ entries: [EventLogEntry]) async throws
    /// Records an event that counts towards a threshold and opened nothing.
    func addPendingEvent(_ event: PendingEvent) async throws
    /// The pending events of a threshold that arrived at or after `since`, oldest first.
    func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent]
    /// Proves the store can write now (for readiness checks); throws the store's error when it cannot.
    func probeWrite() async throws
}

extension IncidentStore {
    /// By default a store that can be read is taken to be writable.
    public func probeWrite() async throws { _ = try await openIncidentCount() }

    /// Incidents of an organisation (all when nil), newest first: the first page of at most `limit`.
    public func incidents(organisation: String?, limit: Int) async throws -> [StoredIncident] {
        try await incidents(IncidentQuery(organisation: organisation, limit: limit)).incidents
    }

    /// Claims up to `limit` pending deliveries due at `now`, marking them sending (no bound per channel).
    public func claimDeliveries(now: Instant, limit: Int) async throws -> [OutboxItem] {
        try await claimDeliveries(now: now, budget: DeliveryBudget(total: limit))
    }

    /// When the earliest pending delivery is due, if any.
    public func nextDeliveryDue() async throws -> Instant? { try await nextDeliveryDue(excluding: []) }

    /// Saves a delivery's new status without a log line.
    public func updateDelivery(_ item: OutboxItem) async throws { try await updateDelivery(item, log: []) }
}
