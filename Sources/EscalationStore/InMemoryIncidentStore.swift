import EscalationCore

/// An incident store in memory, for tests and the simulator-backed executor; loses everything on exit.
public actor InMemoryIncidentStore: IncidentStore {
    private var incidents: [String: StoredIncident] = [:]
    private var order: [String] = []
    private var logs: [EventLogEntry] = []
    private var timerTable: [String: StoredTimer] = [:]
    private var outbox: [String: OutboxItem] = [:]
    private var outboxOrder: [String] = []
    private var snapshots: [String: PolicySnapshot] = [:]
    private var taskList: [StoredTask] = []
    private var sequence: Int64 = 0
    private var pending: [PendingEvent] = []
    /// Open incident ids per organisation and dedup key, oldest first (the dedup index: no scan of all incidents).
    private var openByDedup: [String: [String]] = [:]

    /// An empty store.
    public init() {}

    /// Commits one transition.
    public func commit(_ change: StoreChange) async throws {
        if incidents[change.incident.id] == nil { order.append(change.incident.id) }
        incidents[change.incident.id] = change.incident
        indexDedup(change.incident)
        if let key = change.consumePending { pending.removeAll { $0.key == key } }
        appendLogs(change.log)
        taskList += change.tasks
        if let snapshot = change.snapshot, snapshots["\(snapshot.organisation)/\(snapshot.version)"] == nil {
            snapshots["\(snapshot.organisation)/\(snapshot.version)"] = snapshot
        }
        for id in change.removeTimers { timerTable[id] = nil }
        for timer in change.addTimers { timerTable[timer.id] = timer }
        for item in change.outbox where outbox[item.idempotencyKey] == nil {
            outbox[item.idempotencyKey] = item
            outboxOrder.append(item.idempotencyKey)
        }
    }

    private static func dedupSlot(organisation: String, dedupKey: String) -> String { "\(organisation)\u{0}\(dedupKey)" }

    private func indexDedup(_ incident: StoredIncident) {
        guard let dedupKey = incident.state.dedupKey else { return }
        let slot = Self.dedupSlot(organisation: incident.organisation, dedupKey: dedupKey)
        var ids = openByDedup[slot] ?? []
        if incident.state.isOpen {
            if !ids.contains(incident.id) { ids.append(incident.id) }
        } else {
            ids.removeAll { $0 == incident.id }
        }
        openByDedup[slot] = ids.isEmpty ? nil : ids
    }

    /// Records an event that counts towards a threshold.
    public func addPendingEvent(_ event: PendingEvent) async throws { pending.append(event) }

    /// A threshold's pending events since an instant.
    public func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] {
        pending.filter { $0.key == key && $0.at >= since }
    }

    /// Incidents not resolved.
    public func openIncidentCount() async throws -> Int { incidents.values.filter { $0.state.isOpen }.count }

    /// An incident's tasks.
    public func tasks(incident: String) async throws -> [StoredTask] { taskList.filter { $0.incident == incident } }

    /// A saved policy version.
    public func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? { snapshots["\(organisation)/\(version)"] }

    private func appendLogs(_ entries: [EventLogEntry]) {
        for var entry in entries {
            sequence += 1
            entry.sequence = sequence
            logs.append(entry)
        }
    }

    /// The incident with this id.
    public func incident(id: String) async throws -> StoredIncident? { incidents[id] }

    /// The open incident with a dedup key.
    public func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        openByDedup[Self.dedupSlot(organisation: organisation, dedupKey: dedupKey)]?.last.flatMap { incidents[$0] }
    }

    /// A page of incidents, newest first; an incident's position is its place in the order they were opened (from 1).
    public func incidents(_ query: IncidentQuery) async throws -> IncidentPage {
        let end = query.after.map { Int(clamping: min($0.position - 1, Int64(order.count))) } ?? order.count
        var found: [(position: Int, incident: StoredIncident)] = []
        var index = end - 1
        while index >= 0, found.count <= query.limit {
            if let incident = incidents[order[index]], query.organisation == nil || incident.organisation == query.organisation,
                query.status == nil || incident.state.status == query.status
            {
                found.append((index + 1, incident))
            }
            index -= 1
        }
        let page = found.prefix(query.limit)
        let next = found.count > query.limit ? page.last.map { IncidentCursor(position: Int64($0.position)) } : nil
        return IncidentPage(incidents: page.map(\.incident), next: next)
    }

    /// An incident's log.
    public func log(incident: String) async throws -> [EventLogEntry] { logs.filter { $0.incident == incident } }

    /// All timers.
    public func timers() async throws -> [StoredTimer] { timerTable.values.sorted { ($0.at, $0.id) < ($1.at, $1.id) } }

    /// Removes a timer.
    public func removeTimer(id: String) async throws { timerTable[id] = nil }

    /// Claims due deliveries within the budget, in the order they were queued.
    public func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] {
        var claimed: [OutboxItem] = []
        var selection = budget.selection()
        for key in outboxOrder where !selection.isFull {
            guard var item = outbox[key], item.status == .pending, item.nextAttempt <= now, selection.take(DeliveryChannel(item)) else { continue }
            item.status = .sending
            outbox[key] = item
            claimed.append(item)
        }
        return claimed
    }

    /// The earliest pending delivery's next attempt, among channels not full.
    public func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? {
        outbox.values.filter { $0.status == .pending && !full.contains(DeliveryChannel($0)) }.map(\.nextAttempt).min()
    }

    /// Deliveries left sending.
    public func interruptedDeliveries() async throws -> [OutboxItem] {
        outboxOrder.compactMap { outbox[$0] }.filter { $0.status == .sending }
    }

    /// Saves a delivery.
    public func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
        outbox[item.idempotencyKey] = item
        appendLogs(log)
    }

    /// An incident's outbox.
    public func deliveries(incident: String?) async throws -> [OutboxItem] {
        outboxOrder.compactMap { outbox[$0] }.filter { incident == nil || $0.incident == incident }
    }

    /// Appends log lines.
    public func append(_ entries: [EventLogEntry]) async throws { appendLogs(entries) }
}
