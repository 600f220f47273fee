import EscalationCore
import EscalationEngine
import EscalationStore
import Foundation
import PostgresNIO

extension PostgresIncidentStore {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Commits one transition in one transaction (the caller's, inside `exclusively`): incident, log, tasks, snapshot,
    /// timers and outbox; a change that queues work notifies the other processes when it commits.
    public func commit(_ change: StoreChange) async throws {
        let incident = change.incident
        // The same bytes the SQLite store writes, from the one hand-written writer (`IncidentStateJSONTests`).
        let stateJSON = incident.state.sortedJSON
        try await write("commit of incident \(incident.id)") { connection in
            try await connection.query(
                """
                INSERT INTO incidents (id, organisation, dedup_key, status, state, created_at, updated_at)
                VALUES (\(incident.id), \(incident.organisation), \(incident.state.dedupKey), \(incident.state.status.rawValue), \(stateJSON),
                  \(incident.createdAt.seconds), \(incident.updatedAt.seconds))
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, updated_at = excluded.updated_at
                """, logger: logger)
            try await insertLog(change.log, on: connection)
            if let key = change.consumePending {
                try await connection.query("DELETE FROM pending_events WHERE organisation = \(key.organisation) AND policy = \(key.policy)", logger: logger)
            }
            for task in change.tasks {
                try await connection.query(
                    """
                    INSERT INTO tasks (incident, title, assignees, description, origin, created_at)
                    VALUES (\(task.incident), \(task.title), \(task.assignees.joined(separator: ",")), \(task.description), \(task.origin), \(task.createdAt.seconds))
                    """, logger: logger)
            }
            if let snapshot = change.snapshot {
                try await connection.query(
                    """
                    INSERT INTO policy_versions (organisation, version, document) VALUES (\(snapshot.organisation), \(snapshot.version), \(snapshot.document))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            if !change.removeTimers.isEmpty {
                try await connection.query("DELETE FROM timers WHERE id = ANY(\(change.removeTimers))", logger: logger)
            }
            for timer in change.addTimers {
                try await connection.query(
                    """
                    INSERT INTO timers (id, incident, at) VALUES (\(timer.id), \(timer.incident), \(timer.at.seconds))
                    ON CONFLICT (id) DO UPDATE SET incident = excluded.incident, at = excluded.at, claimed_by = NULL, lease_until = NULL
                    """, logger: logger)
            }
            for item in change.outbox {
                try await connection.query(
                    """
                    INSERT INTO outbox (idempotency_key, incident, organisation, effect, channel, status, attempts, next_attempt, deadline, detail, created_at)
                    VALUES (\(item.idempotencyKey), \(item.incident), \(item.organisation), \(item.effect), \(item.channel), \(item.status.rawValue),
                      \(item.attempts), \(item.nextAttempt.seconds), \(item.deadline.seconds), \(item.detail), \(item.createdAt.seconds))
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """, logger: logger)
            }
            if !change.addTimers.isEmpty || !change.outbox.isEmpty { try await notify(on: connection) }
        }
    }

    func notify(on connection: PostgresConnection) async throws {
        _ = try await connection.query("SELECT pg_notify(\(channel), \("work:" + owner))", logger: logger).collect()
    }

    func insertLog(_ entries: [EventLogEntry], on connection: PostgresConnection) async throws {
        for entry in entries {
            try await connection.query(
                "INSERT INTO event_log (incident, at, kind, text, payload) VALUES (\(entry.incident), \(entry.at.seconds), \(entry.kind), \(entry.text), \(entry.payload))",
                logger: logger)
        }
    }

    /// Writes one row in a transaction of its own: fails while the database refuses writes (read-only, disk full, down),
    /// and when it does not answer within `probeTimeout` seconds (so `/readyz` answers at once while it is unreachable).
    public func probeWrite() async throws {
        let probe = Task { try await writeProbeRow() }
        let outcome = ProbeOutcome()
        let timeout = Task { [probeTimeout = options.probeTimeout] in
            try await Task.sleep(for: .seconds(probeTimeout))
            outcome.finish(.failure(PostgresStoreError("probing a write", reason: "the database did not answer within \(Int(probeTimeout)) s")))
            probe.cancel()
        }
        Task {
            do { try await probe.value; outcome.finish(.success(())) } catch { outcome.finish(.failure(error)) }
            timeout.cancel()
        }
        try await outcome.value()
    }

    func writeProbeRow() async throws {
        _ = try await write("probing a write") { connection in
            try await connection.query(
                """
                INSERT INTO store_probe (id, at, owner) VALUES (1, \(leaseClock()), \(owner))
                ON CONFLICT (id) DO UPDATE SET at = excluded.at, owner = excluded.owner
                """, logger: logger)
        }
    }

    /// Records an event that counts towards a threshold.
    public func addPendingEvent(_ event: PendingEvent) async throws {
        let json = String(decoding: try Self.encoder.encode(event), as: UTF8.self)
        _ = try await write("recording a threshold event") { connection in
            try await connection.query(
                "INSERT INTO pending_events (organisation, policy, at, event) VALUES (\(event.key.organisation), \(event.key.policy), \(event.at.seconds), \(json))",
                logger: logger)
        }
    }

    /// Removes a timer.
    public func removeTimer(id: String) async throws {
        _ = try await write("removing timer \(id)") { connection in
            try await connection.query("DELETE FROM timers WHERE id = \(id)", logger: logger)
        }
    }

    /// Appends log lines.
    public func append(_ entries: [EventLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await write("appending to the log") { connection in try await insertLog(entries, on: connection) }
    }

    /// Saves a delivery's result and log lines in one transaction, if this process still holds the item (or nobody
    /// does); an item another process took over after this one's lease expired is left alone (`LeaseLost`).
    public func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
        let owner = owner
        let lost: String?? = try await write("saving delivery \(item.idempotencyKey)") { connection in
            let rows = try await connection.query(
                """
                UPDATE outbox SET status = \(item.status.rawValue), attempts = \(item.attempts), next_attempt = \(item.nextAttempt.seconds),
                  detail = \(item.detail), claimed_by = NULL, lease_until = NULL
                WHERE idempotency_key = \(item.idempotencyKey) AND (claimed_by IS NULL OR claimed_by = \(owner))
                RETURNING 1
                """, logger: logger
            ).collect()
            if rows.isEmpty {
                let holder = try await connection.query("SELECT claimed_by FROM outbox WHERE idempotency_key = \(item.idempotencyKey)", logger: logger)
                    .collect().first
                guard let holder else { return nil }
                return .some(try holder.decode(String?.self))
            }
            try await insertLog(log, on: connection)
            return nil
        }
        if let lost {
            state.withLock { $0.counters.leaseLosses += 1 }
            logger.warning("lease lost", metadata: ["delivery": "\(item.idempotencyKey)", "holder": "\(lost ?? "nobody")"])
            throw LeaseLost(key: item.idempotencyKey, holder: lost)
        }
    }
}
