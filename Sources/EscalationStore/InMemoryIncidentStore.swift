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

    /// An empty store.
    public init() {}

    /// Commits one transition.
    public func commit(_ change: StoreChange) async throws {
        if incidents[change.incident.id] == nil { order.append(change.incident.id) }
        incidents[change.incident.id] = change.incident
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
        order.reversed().compactMap { incidents[$0] }.first {
            $0.organisation == organisation && $0.state.dedupKey == dedupKey && $0.state.isOpen
        }
    }

    /// Incidents, newest first.
    public func incidents(organisation: String?, limit: Int) async throws -> [StoredIncident] {
        Array(order.reversed().compactMap { incidents[$0] }.filter { organisation == nil || $0.organisation == organisation }.prefix(limit))
    }

    /// An incident's log.
    public func log(incident: String) async throws -> [EventLogEntry] { logs.filter { $0.incident == incident } }

    /// All timers.
    public func timers() async throws -> [StoredTimer] { timerTable.values.sorted { ($0.at, $0.id) < ($1.at, $1.id) } }

    /// Removes a timer.
    public func removeTimer(id: String) async throws { timerTable[id] = nil }

    /// Claims due deliveries.
    public func claimDeliveries(now: Instant, limit: Int) async throws -> [OutboxItem] {
        var claimed: [OutboxItem] = []
        for key in outboxOrder where claimed.count < limit {
            guard var item = outbox[key], item.status == .pending, item.nextAttempt <= now else { continue }
            item.status = .sending
            outbox[key] = item
            claimed.append(item)
        }
        return claimed
    }

    /// The earliest pending delivery's next attempt.
    public func nextDeliveryDue() async throws -> Instant? {
        outbox.values.filter { $0.status == .pending }.map(\.nextAttempt).min()
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
