import EscalationCore
import EscalationEngine
import EscalationStore
import Foundation

/// What every `IncidentStore` must do, as named checks to run against a fresh, empty store of each kind
/// (e.g. `@Test(arguments: IncidentStoreContract.all) func memory(_ check: IncidentStoreContract) async throws
/// { try await check.run(on: InMemoryIncidentStore()) }`). A check throws a `Violation` when the store misbehaves.
public struct IncidentStoreContract: Sendable, CustomStringConvertible {
    /// A broken promise: what the check expected and what the store did.
    public struct Violation: Error, CustomStringConvertible {
        /// The check and the difference.
        public var description: String
    }

    /// What the check covers.
    public let name: String
    private let body: @Sendable (any IncidentStore) async throws -> Void

    /// The check's name (Swift Testing shows it for each argument).
    public var description: String { name }

    /// Runs the check against a fresh store; throws a `Violation`, or the store's own error.
    public func run(on store: any IncidentStore) async throws { try await body(store) }

    /// Every check.
    public static let all: [IncidentStoreContract] = [commitAndReadBack, timers, outbox, dedup, snapshots, pendingEvents, paging, claimBudget]

    // MARK: - The checks

    /// A commit is read back whole: incident, log (in order, increasing sequence), tasks, listing and open count.
    public static let commitAndReadBack = IncidentStoreContract(name: "commit and read back") { store in
        var incident = record("inc-1", dedupKey: nil)
        var change = StoreChange(incident: incident, log: [line("inc-1", "triggered"), line("inc-1", "notified")], addTimers: [], removeTimers: [], outbox: [])
        change.tasks = [StoredTask(incident: "inc-1", title: "Check the disk", assignees: ["bob", "carol"], description: "df -h", origin: "first", createdAt: t0)]
        try await store.commit(change)
        try await store.commit(StoreChange(incident: record("inc-2", organisation: "other"), log: [line("inc-2", "other")], addTimers: [], removeTimers: [], outbox: []))
        try expect(try await store.incident(id: "inc-1"), incident, "incident(id:) after commit")
        try expect(try await store.incident(id: "missing"), nil, "incident(id:) of an unknown id")
        let log = try await store.log(incident: "inc-1")
        try expect(log.map(\.text), ["triggered", "notified"], "log(incident:) texts, oldest first")
        try expect(zip(log, log.dropFirst()).allSatisfy { $0.sequence < $1.sequence }, true, "log sequences increase (\(log.map(\.sequence)))")
        try expect(try await store.tasks(incident: "inc-1"), change.tasks, "tasks(incident:)")
        try expect(try await store.tasks(incident: "inc-2"), [], "tasks of an incident without any")
        try expect(try await store.incidents(organisation: "acme", limit: 10).map(\.id), ["inc-1"], "incidents(organisation: acme)")
        try expect(Set(try await store.incidents(organisation: nil, limit: 10).map(\.id)), ["inc-1", "inc-2"], "incidents(organisation: nil)")
        try expect(try await store.incidents(organisation: nil, limit: 1).count, 1, "incidents(limit: 1) count")
        try expect(try await store.openIncidentCount(), 2, "openIncidentCount with two open")
        // A later commit of the same incident replaces its state and appends to its log.
        incident.state.status = .resolved
        incident.state.resolvedBy = "bob"
        incident.updatedAt = t0.adding(seconds: 60)
        try await store.commit(StoreChange(incident: incident, log: [line("inc-1", "resolved")], addTimers: [], removeTimers: [], outbox: []))
        try await store.append([line("inc-1", "a note")])
        try expect(try await store.incident(id: "inc-1")?.state.status, .resolved, "status after a second commit")
        try expect(try await store.incident(id: "inc-1")?.state.resolvedBy, "bob", "state after a second commit")
        try expect(try await store.log(incident: "inc-1").map(\.text), ["triggered", "notified", "resolved", "a note"], "log after commit and append")
        try expect(try await store.openIncidentCount(), 1, "openIncidentCount after resolving one")
    }

    /// Timers added by commits come back earliest first; commits and `removeTimer` remove them.
    public static let timers = IncidentStoreContract(name: "timers") { store in
        let late = StoredTimer(id: "inc-1/t1", incident: "inc-1", at: t0.adding(seconds: 600))
        let early = StoredTimer(id: "inc-1/t2", incident: "inc-1", at: t0.adding(seconds: 60))
        try await store.commit(StoreChange(incident: record("inc-1"), log: [], addTimers: [late, early], removeTimers: [], outbox: []))
        try expect(try await store.timers(), [early, late], "timers() earliest first")
        try await store.commit(StoreChange(incident: record("inc-1"), log: [], addTimers: [], removeTimers: [early.id], outbox: []))
        try expect(try await store.timers(), [late], "timers() after a commit removed one")
        try await store.removeTimer(id: late.id)
        try expect(try await store.timers(), [], "timers() after removeTimer")
    }

    /// Queued deliveries are claimed once when due (up to the limit), left `sending` until updated, and never queued twice.
    public static let outbox = IncidentStoreContract(name: "outbox claim") { store in
        let now = item("inc-1/a", due: t0)
        let alsoNow = item("inc-1/b", due: t0)
        let later = item("inc-1/c", due: t0.adding(seconds: 60))
        try await store.commit(StoreChange(incident: record("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: [now, alsoNow, later]))
        try expect(try await store.nextDeliveryDue(), t0, "nextDeliveryDue with items due now")
        try expect(try await store.claimDeliveries(now: t0.adding(seconds: -1), limit: 10), [], "claim before anything is due")
        let first = try await store.claimDeliveries(now: t0, limit: 1)
        try expect(first.count, 1, "claim with limit 1")
        try expect(first.first?.status, .sending, "a claimed item's status")
        let second = try await store.claimDeliveries(now: t0, limit: 10)
        try expect(Set((first + second).map(\.idempotencyKey)), ["inc-1/a", "inc-1/b"], "two claims take each due item once")
        try expect(try await store.claimDeliveries(now: t0, limit: 10), [], "a third claim at the same instant")
        try expect(Set(try await store.interruptedDeliveries().map(\.idempotencyKey)), ["inc-1/a", "inc-1/b"], "interruptedDeliveries (left sending)")
        try expect(try await store.nextDeliveryDue(), t0.adding(seconds: 60), "nextDeliveryDue once the due items are claimed")
        // Queuing the same idempotency key again does not add or reset it.
        try await store.commit(StoreChange(incident: record("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: [now]))
        try expect(try await store.deliveries(incident: "inc-1").map(\.idempotencyKey), ["inc-1/a", "inc-1/b", "inc-1/c"], "deliveries after re-queuing a key")
        try expect(try await store.claimDeliveries(now: t0, limit: 10), [], "a re-queued key that is being sent is not claimed again")
        var done = now
        done.status = .delivered
        done.attempts = 1
        done.detail = "receipt-1"
        try await store.updateDelivery(done, log: [line("inc-1", "delivered")])
        let saved = try await store.deliveries(incident: "inc-1").first { $0.idempotencyKey == "inc-1/a" }
        try expect(saved?.status, .delivered, "status after updateDelivery")
        try expect(saved?.attempts, 1, "attempts after updateDelivery")
        try expect(saved?.detail, "receipt-1", "detail after updateDelivery")
        try expect(try await store.log(incident: "inc-1").map(\.text), ["delivered"], "updateDelivery's log line")
        try expect(try await store.interruptedDeliveries().map(\.idempotencyKey), ["inc-1/b"], "interruptedDeliveries after one was recorded")
        try expect(try await store.claimDeliveries(now: t0.adding(seconds: 60), limit: 10).map(\.idempotencyKey), ["inc-1/c"], "claim when the later item is due")
        try expect(try await store.nextDeliveryDue(), nil, "nextDeliveryDue with nothing pending")
        try expect(try await store.deliveries(incident: "other").count, 0, "deliveries of another incident")
        try expect(try await store.deliveries(incident: nil).count, 3, "deliveries(incident: nil)")
    }

    /// `openIncident` finds an organisation's open incident by dedup key, and no longer once it is resolved.
    public static let dedup = IncidentStoreContract(name: "dedup openIncident") { store in
        var first = record("inc-1", dedupKey: "disk")
        try await store.commit(StoreChange(incident: first, log: [], addTimers: [], removeTimers: [], outbox: []))
        try await store.commit(StoreChange(incident: record("inc-2", dedupKey: "cpu"), log: [], addTimers: [], removeTimers: [], outbox: []))
        try expect(try await store.openIncident(organisation: "acme", dedupKey: "disk")?.id, "inc-1", "openIncident(acme, disk)")
        try expect(try await store.openIncident(organisation: "other", dedupKey: "disk")?.id, nil, "openIncident of another organisation")
        try expect(try await store.openIncident(organisation: "acme", dedupKey: "memory")?.id, nil, "openIncident of an unknown key")
        first.state.status = .acknowledged
        try await store.commit(StoreChange(incident: first, log: [], addTimers: [], removeTimers: [], outbox: []))
        try expect(try await store.openIncident(organisation: "acme", dedupKey: "disk")?.id, "inc-1", "an acknowledged incident is still open")
        first.state.status = .resolved
        try await store.commit(StoreChange(incident: first, log: [], addTimers: [], removeTimers: [], outbox: []))
        try expect(try await store.openIncident(organisation: "acme", dedupKey: "disk")?.id, nil, "openIncident once resolved")
        try await store.commit(
            StoreChange(incident: record("inc-3", dedupKey: "disk", at: t0.adding(seconds: 10)), log: [], addTimers: [], removeTimers: [], outbox: []))
        try expect(try await store.openIncident(organisation: "acme", dedupKey: "disk")?.id, "inc-3", "a new incident with the key after the old one resolved")
    }

    /// A policy snapshot is kept once per organisation and version: the first saved wins.
    public static let snapshots = IncidentStoreContract(name: "policy snapshots") { store in
        var change = StoreChange(incident: record("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: [])
        change.snapshot = PolicySnapshot(organisation: "acme", version: "v1", document: "{\"first\":true}")
        try await store.commit(change)
        change.incident = record("inc-2")
        change.snapshot = PolicySnapshot(organisation: "acme", version: "v1", document: "{\"second\":true}")
        try await store.commit(change)
        try expect(try await store.policySnapshot(organisation: "acme", version: "v1")?.document, "{\"first\":true}", "the snapshot of acme v1")
        try expect(try await store.policySnapshot(organisation: "acme", version: "v2"), nil, "an unknown version")
        try expect(try await store.policySnapshot(organisation: "other", version: "v1"), nil, "the version of another organisation")
    }

    /// Listings come newest first (in the order incidents were opened; a later commit does not move one) in pages that
    /// follow their cursors to the end, filtered by organisation and status; the last page has no next cursor.
    public static let paging = IncidentStoreContract(name: "paging") { store in
        for number in 1...7 {
            try await store.commit(StoreChange(incident: record("p\(number)", at: t0.adding(seconds: number)), log: [], addTimers: [], removeTimers: [], outbox: []))
            if number % 3 == 0 {
                try await store.commit(StoreChange(incident: record("o\(number)", organisation: "other"), log: [], addTimers: [], removeTimers: [], outbox: []))
            }
        }
        for (id, status) in [("p2", IncidentState.Status.resolved), ("p5", .resolved), ("p3", .acknowledged), ("p1", .open)] {
            var incident = record(id, at: t0.adding(seconds: Int(id.dropFirst()) ?? 0))
            incident.state.status = status
            incident.updatedAt = t0.adding(seconds: 3_600)
            try await store.commit(StoreChange(incident: incident, log: [], addTimers: [], removeTimers: [], outbox: []))
        }
        func pages(_ query: IncidentQuery) async throws -> [[String]] {
            var query = query
            var result: [[String]] = []
            while true {
                let page = try await store.incidents(query)
                result.append(page.incidents.map(\.id))
                guard let next = page.next else { return result }
                try expect(IncidentCursor(token: next.token), next, "a cursor read back from its token")
                guard result.count < 20 else { throw Violation(description: "paging: more than 20 pages for 9 incidents (\(result))") }
                query.after = next
            }
        }
        try expect(try await pages(IncidentQuery(organisation: "acme", limit: 3)), [["p7", "p6", "p5"], ["p4", "p3", "p2"], ["p1"]], "acme in pages of 3")
        try expect(try await pages(IncidentQuery(organisation: "acme", limit: 7)), [["p7", "p6", "p5", "p4", "p3", "p2", "p1"]], "a page exactly as long as the listing")
        try expect(try await pages(IncidentQuery(organisation: "acme", status: .open, limit: 2)), [["p7", "p6"], ["p4", "p1"]], "open incidents in pages of 2")
        try expect(try await pages(IncidentQuery(organisation: "acme", status: .resolved, limit: 5)), [["p5", "p2"]], "resolved incidents")
        try expect(try await pages(IncidentQuery(organisation: "acme", status: .acknowledged, limit: 1)), [["p3"]], "acknowledged incidents")
        try expect(try await pages(IncidentQuery(organisation: "other", limit: 1)), [["o6"], ["o3"]], "another organisation's")
        try expect(
            try await pages(IncidentQuery(organisation: nil, limit: 4)), [["p7", "o6", "p6", "p5"], ["p4", "o3", "p3", "p2"], ["p1"]], "every organisation's")
        try expect(try await pages(IncidentQuery(organisation: "nobody", limit: 5)), [[]], "an organisation without incidents")
        try expect(IncidentCursor(token: "not-a-cursor"), nil, "a token the store did not make")
    }

    /// A claim takes due items within its budget: at most the total, and per channel only the room its in-flight
    /// deliveries leave; the rest stay pending, and `nextDeliveryDue` can pass over full channels.
    public static let claimBudget = IncidentStoreContract(name: "claim budget per channel") { store in
        let sms = DeliveryChannel(organisation: "acme", channel: "sms")
        func queued(_ key: String, organisation: String = "acme", channel: String, due: Instant = t0) -> OutboxItem {
            var item = item(key, due: due)
            item.organisation = organisation
            item.channel = channel
            return item
        }
        let items = [
            queued("inc-1/s1", channel: "sms"), queued("inc-1/s2", channel: "sms"), queued("inc-1/s3", channel: "sms"), queued("inc-1/e1", channel: "email"),
            queued("inc-1/o1", organisation: "other", channel: "sms"), queued("inc-1/e2", channel: "email", due: t0.adding(seconds: 60)),
        ]
        try await store.commit(StoreChange(incident: record("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: items))
        let first = try await store.claimDeliveries(now: t0, budget: DeliveryBudget(total: 10, perChannel: 2, inFlight: [sms: 1]))
        try expect(Set(first.map(\.idempotencyKey)), ["inc-1/s1", "inc-1/e1", "inc-1/o1"], "claim with room for one more on acme/sms")
        try expect(try await store.nextDeliveryDue(excluding: [sms]), t0.adding(seconds: 60), "nextDeliveryDue passing over the full channel")
        try expect(try await store.nextDeliveryDue(excluding: []), t0, "nextDeliveryDue with no channel full")
        try expect(try await store.claimDeliveries(now: t0, budget: DeliveryBudget(total: 10, perChannel: 2, inFlight: [sms: 2])), [], "a claim with acme/sms full")
        let one = try await store.claimDeliveries(now: t0, budget: DeliveryBudget(total: 1, perChannel: 2, inFlight: [:]))
        try expect(one.map(\.idempotencyKey), ["inc-1/s2"], "a claim of at most one")
        let pending = try await store.deliveries(incident: "inc-1").filter { $0.status == .pending }.map(\.idempotencyKey)
        try expect(Set(pending), ["inc-1/s3", "inc-1/e2"], "items left pending")
    }

    // MARK: - Helpers

    /// Events counted towards a threshold are kept per policy, read back since an instant, and consumed by the
    /// commit that opens an incident of that policy (in the same transaction).
    public static let pendingEvents = IncidentStoreContract(name: "threshold events") { store in
        let key = PendingEvent.Key(organisation: "acme", policy: "reports")
        let other = PendingEvent.Key(organisation: "acme", policy: "outage")
        try await store.addPendingEvent(PendingEvent(key: key, at: t0, title: "first", fields: ["source": "customer"], dedupKey: nil))
        try await store.addPendingEvent(PendingEvent(key: key, at: t0.adding(seconds: 600), title: "second", fields: [:], dedupKey: "d-2"))
        try await store.addPendingEvent(PendingEvent(key: other, at: t0, title: "elsewhere", fields: [:], dedupKey: nil))
        try expect(try await store.pendingEvents(key, since: t0).map(\.title), ["first", "second"], "pendingEvents since the first")
        try expect(try await store.pendingEvents(key, since: t0.adding(seconds: 1)).map(\.title), ["second"], "pendingEvents since later")
        try expect(try await store.pendingEvents(key, since: t0).first?.fields, ["source": "customer"], "a pending event's fields")
        var change = StoreChange(incident: record("inc-1", dedupKey: nil), log: [], addTimers: [], removeTimers: [], outbox: [])
        change.consumePending = key
        try await store.commit(change)
        try expect(try await store.pendingEvents(key, since: t0).count, 0, "pendingEvents after the opening consumed them")
        try expect(try await store.pendingEvents(other, since: t0).map(\.title), ["elsewhere"], "another policy's pending events are kept")
    }

    static let t0 = Instant(seconds: 1_795_000_000)

    static func record(_ id: String, organisation: String = "acme", dedupKey: String? = nil, at: Instant = t0) -> StoredIncident {
        let state = IncidentState(id: id, policy: "outage", version: "v1", title: "Disk full", dedupKey: dedupKey, fields: ["host": "db1"], triggeredAt: at)
        return StoredIncident(id: id, organisation: organisation, state: state, createdAt: at, updatedAt: at)
    }

    static func line(_ incident: String, _ text: String) -> EventLogEntry { EventLogEntry(incident: incident, at: t0, kind: "event", text: text) }

    static func item(_ key: String, due: Instant) -> OutboxItem {
        OutboxItem(
            idempotencyKey: key, incident: "inc-1", organisation: "acme", effect: "{}", channel: "email", nextAttempt: due,
            deadline: due.adding(seconds: 600), createdAt: t0)
    }

    static func expect<Value: Equatable>(_ actual: Value, _ expected: Value, _ what: String) throws(Violation) {
        guard actual == expected else { throw Violation(description: "\(what): expected \(expected), got \(actual)") }
    }
}
