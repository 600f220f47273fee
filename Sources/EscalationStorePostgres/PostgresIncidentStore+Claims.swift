import EscalationCore
import EscalationStore
import Foundation
import PostgresNIO

extension PostgresIncidentStore {
    /// Due pending rows a claim looks at, at most (items of full channels among them are passed over).
    static let claimWindow = 1_000

    /// Claims due deliveries within the budget, earliest first: the due rows are locked with `FOR UPDATE SKIP LOCKED`
    /// (rows another process is claiming are passed over, never waited for), the budget picks among them, and the
    /// picked ones become `sending`, leased to this process.
    public func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] {
        guard budget.total > 0 else { return [] }
        let (owner, lease) = (owner, leaseClock() + Double(leaseSeconds))
        let items = try await write("claiming deliveries") { connection in
            let due = try await connection.query(
                """
                SELECT idempotency_key, organisation, channel FROM outbox WHERE status = 'pending' AND next_attempt <= \(now.seconds)
                ORDER BY next_attempt, position LIMIT \(Self.claimWindow) FOR UPDATE SKIP LOCKED
                """, logger: logger
            ).collect()
            var selection = budget.selection()
            var keys: [String] = []
            for row in due {
                guard !selection.isFull else { break }
                let (key, organisation, channel) = try row.decode((String, String, String).self)
                if selection.take(DeliveryChannel(organisation: organisation, channel: channel)) { keys.append(key) }
            }
            guard !keys.isEmpty else { return [OutboxItem]() }
            return try await connection.query(
                """
                UPDATE outbox SET status = 'sending', claimed_by = \(owner), lease_until = \(lease) WHERE idempotency_key = ANY(\(keys))
                RETURNING \(unescaped: Self.outboxColumns), position
                """, logger: logger
            ).collect().map { (position: try $0.makeRandomAccess()["position"].decode(Int64.self), item: try Self.item($0)) }
                .sorted { ($0.item.nextAttempt, $0.position) < ($1.item.nextAttempt, $1.position) }.map(\.item)
        }
        state.withLock { $0.counters.deliveryClaims += items.count }
        return items
    }

    /// Deliveries left `sending` that no live claim of another process holds (this process's own, unclaimed ones,
    /// and those whose lease expired), claimed for this process, in the order queued.
    public func interruptedDeliveries() async throws -> [OutboxItem] {
        try await claimSending(includingOwn: true, operation: "finding interrupted deliveries")
    }

    /// Deliveries another process left `sending` and whose lease expired, claimed for this process.
    public func takeOverDeliveries() async throws -> [OutboxItem] {
        try await claimSending(includingOwn: false, operation: "taking over deliveries")
    }

    func claimSending(includingOwn: Bool, operation: String) async throws -> [OutboxItem] {
        let (owner, now) = (owner, leaseClock())
        let lease = now + Double(leaseSeconds)
        let claimed = try await write(operation) { connection in
            try await connection.query(
                """
                UPDATE outbox o SET claimed_by = \(owner), lease_until = \(lease)
                FROM (SELECT idempotency_key, claimed_by FROM outbox
                      WHERE status = 'sending' AND (claimed_by IS NULL OR lease_until < \(now) OR (\(includingOwn) AND claimed_by = \(owner)))
                      ORDER BY position LIMIT 500 FOR UPDATE SKIP LOCKED) AS c
                WHERE o.idempotency_key = c.idempotency_key
                RETURNING \(unescaped: Self.outboxColumns.split(separator: ",").map { "o." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                  o.position, c.claimed_by AS previous
                """, logger: logger
            ).collect().map { row in
                (item: try Self.item(row), position: try row.makeRandomAccess()["position"].decode(Int64.self),
                 previous: try row.makeRandomAccess()["previous"].decode(String?.self))
            }.sorted { $0.position < $1.position }
        }
        let taken = claimed.filter { $0.previous != nil && $0.previous != owner }
        if !taken.isEmpty {
            state.withLock { $0.counters.deliveryTakeovers += taken.count }
            for entry in taken {
                logger.warning(
                    "delivery taken over from an expired lease",
                    metadata: ["delivery": "\(entry.item.idempotencyKey)", "incident": "\(entry.item.incident)", "previous": "\(entry.previous ?? "")"])
            }
        }
        return claimed.map(\.item)
    }

    /// Claims up to `limit` timers due at `now` that no live claim holds, leased to this process, earliest first.
    public func claimDueTimers(now: Instant, limit: Int) async throws -> [StoredTimer] {
        guard limit > 0 else { return [] }
        let (owner, wall) = (owner, leaseClock())
        let lease = wall + Double(leaseSeconds)
        let claimed = try await write("claiming due timers") { connection in
            try await connection.query(
                """
                UPDATE timers t SET claimed_by = \(owner), lease_until = \(lease)
                FROM (SELECT id, claimed_by FROM timers WHERE at <= \(now.seconds) AND (claimed_by IS NULL OR lease_until < \(wall))
                      ORDER BY at, position LIMIT \(limit) FOR UPDATE SKIP LOCKED) AS c
                WHERE t.id = c.id
                RETURNING t.id, t.incident, t.at, t.position, c.claimed_by
                """, logger: logger
            ).collect().map { row in
                let (id, incident, at, position, previous) = try row.decode((String, String, Int64, Int64, String?).self)
                return (timer: StoredTimer(id: id, incident: incident, at: Instant(seconds: at)), position: position, previous: previous)
            }.sorted { ($0.timer.at, $0.position) < ($1.timer.at, $1.position) }
        }
        let takeovers = claimed.filter { $0.previous != nil && $0.previous != owner }.count
        state.withLock {
            $0.counters.timerClaims += claimed.count
            $0.counters.timerTakeovers += takeovers
        }
        return claimed.map(\.timer)
    }

    /// The earliest timer no live claim holds.
    public func nextTimerDue() async throws -> Instant? {
        let wall = leaseClock()
        return try await read("finding the next timer") { connection in
            try await connection.query(
                "SELECT MIN(at) FROM timers WHERE claimed_by IS NULL OR lease_until < \(wall)", logger: logger
            ).collect().first?.decode(Int64?.self).map { Instant(seconds: $0) }
        }
    }

    /// Extends this process's leases on the deliveries it is sending (the heartbeat calls it every third of the lease).
    public func renewLeases() async throws {
        let (owner, lease) = (owner, leaseClock() + Double(leaseSeconds))
        _ = try await write("renewing leases") { connection in
            try await connection.query(
                "UPDATE outbox SET lease_until = \(lease) WHERE status = 'sending' AND claimed_by = \(owner)", logger: logger)
        }
    }

    /// Gives up this process's claims: its timers are free at once, and its deliveries still sending are left for
    /// another process to handle as interrupted (never resent blindly); the other processes are woken.
    public func releaseLeases() async throws {
        let (owner, now) = (owner, leaseClock())
        try await write("releasing leases") { connection in
            try await connection.query("UPDATE timers SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = \(owner)", logger: logger)
            try await connection.query(
                "UPDATE outbox SET lease_until = \(now - 1) WHERE status = 'sending' AND claimed_by = \(owner)", logger: logger)
            try await notify(on: connection)
        }
    }

    /// Claims, takeovers and lease losses of this process so far.
    public func coordinationCounters() -> CoordinationCounters { state.withLock { $0.counters } }
}
