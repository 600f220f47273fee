import EscalationCore
import EscalationEngine
import EscalationStore
import Foundation
import PostgresNIO

extension PostgresIncidentStore {
    static let incidentColumns = "position, id, organisation, state, created_at, updated_at"
    static let outboxColumns =
        "idempotency_key, incident, organisation, effect, channel, status, attempts, next_attempt, deadline, detail, created_at"

    static func incident(_ row: PostgresRow) throws -> (position: Int64, incident: StoredIncident) {
        let (position, id, organisation, json, created, updated) = try row.decode((Int64, String, String, String, Int64, Int64).self)
        let state = try JSONDecoder().decode(IncidentState.self, from: Data(json.utf8))
        return (position, StoredIncident(id: id, organisation: organisation, state: state, createdAt: Instant(seconds: created), updatedAt: Instant(seconds: updated)))
    }

    static func item(_ row: PostgresRow) throws -> OutboxItem {
        let (key, incident, organisation, effect, channel, status, attempts, next, deadline, detail, created) = try row.decode(
            (String, String, String, String, String, String, Int, Int64, Int64, String?, Int64).self)
        return OutboxItem(
            idempotencyKey: key, incident: incident, organisation: organisation, effect: effect, channel: channel,
            status: OutboxItem.Status(rawValue: status) ?? .failed, attempts: attempts, nextAttempt: Instant(seconds: next),
            deadline: Instant(seconds: deadline), detail: detail, createdAt: Instant(seconds: created))
    }

    /// The incident with this id.
    public func incident(id: String) async throws -> StoredIncident? {
        try await read("reading incident \(id)") { connection in
            try await connection.query("SELECT \(unescaped: Self.incidentColumns) FROM incidents WHERE id = \(id)", logger: logger)
                .collect().first.map { try Self.incident($0).incident }
        }
    }

    /// The open incident with a dedup key (the newest, through the partial index).
    public func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await read("finding the open incident of \(organisation) with dedup key \(dedupKey)") { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.incidentColumns) FROM incidents
                WHERE organisation = \(organisation) AND dedup_key = \(dedupKey) AND status <> 'resolved' ORDER BY created_at DESC LIMIT 1
                """, logger: logger
            ).collect().first.map { try Self.incident($0).incident }
        }
    }

    /// A page of incidents, newest first (by the order they were opened).
    public func incidents(_ query: IncidentQuery) async throws -> IncidentPage {
        var sql = "SELECT \(Self.incidentColumns) FROM incidents WHERE position < $1"
        var binds = PostgresBindings()
        binds.append(query.after?.position ?? Int64.max)
        if let organisation = query.organisation {
            binds.append(organisation)
            sql += " AND organisation = $\(binds.count)"
        }
        if let status = query.status {
            binds.append(status.rawValue)
            sql += " AND status = $\(binds.count)"
        }
        binds.append(query.limit + 1)
        sql += " ORDER BY position DESC LIMIT $\(binds.count)"
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        let rows = try await read("listing incidents") { connection in
            try await connection.query(statement, logger: logger).collect().map(Self.incident)
        }
        let page = rows.prefix(query.limit)
        let next = rows.count > query.limit ? page.last.map { IncidentCursor(position: $0.position) } : nil
        return IncidentPage(incidents: page.map(\.incident), next: next)
    }

    /// Incidents not resolved.
    public func openIncidentCount() async throws -> Int {
        try await read("counting open incidents") { connection in
            try await connection.query("SELECT COUNT(*) FROM incidents WHERE status IN ('open', 'acknowledged')", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
        }
    }

    /// An incident's log, oldest first.
    public func log(incident: String) async throws -> [EventLogEntry] {
        try await read("reading the log of \(incident)") { connection in
            try await connection.query(
                "SELECT sequence, incident, at, kind, text, payload FROM event_log WHERE incident = \(incident) ORDER BY sequence", logger: logger
            ).collect().map { row in
                let (sequence, incident, at, kind, text, payload) = try row.decode((Int64, String, Int64, String, String, String?).self)
                return EventLogEntry(sequence: sequence, incident: incident, at: Instant(seconds: at), kind: kind, text: text, payload: payload)
            }
        }
    }

    /// Every pending timer, earliest first.
    public func timers() async throws -> [StoredTimer] {
        try await read("reading timers") { connection in
            try await connection.query("SELECT id, incident, at FROM timers ORDER BY at, position", logger: logger).collect().map { row in
                let (id, incident, at) = try row.decode((String, String, Int64).self)
                return StoredTimer(id: id, incident: incident, at: Instant(seconds: at))
            }
        }
    }

    /// An incident's tasks.
    public func tasks(incident: String) async throws -> [StoredTask] {
        try await read("reading the tasks of \(incident)") { connection in
            try await connection.query(
                "SELECT incident, title, assignees, description, origin, created_at FROM tasks WHERE incident = \(incident) ORDER BY sequence",
                logger: logger
            ).collect().map { row in
                let (incident, title, assignees, description, origin, created) = try row.decode((String, String, String, String?, String, Int64).self)
                return StoredTask(
                    incident: incident, title: title, assignees: assignees.split(separator: ",").map(String.init), description: description, origin: origin,
                    createdAt: Instant(seconds: created))
            }
        }
    }

    /// A saved policy version.
    public func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await read("reading policy version \(version) of \(organisation)") { connection in
            try await connection.query(
                "SELECT document FROM policy_versions WHERE organisation = \(organisation) AND version = \(version)", logger: logger
            ).collect().first.map { PolicySnapshot(organisation: organisation, version: version, document: try $0.decode(String.self)) }
        }
    }

    /// A threshold's pending events since an instant, oldest first.
    public func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] {
        let rows = try await read("reading threshold events") { connection in
            try await connection.query(
                """
                SELECT event FROM pending_events WHERE organisation = \(key.organisation) AND policy = \(key.policy) AND at >= \(since.seconds)
                ORDER BY at, sequence
                """, logger: logger
            ).collect().map { try $0.decode(String.self) }
        }
        return try rows.map { try JSONDecoder().decode(PendingEvent.self, from: Data($0.utf8)) }
    }

    /// An incident's outbox (all when nil), in the order queued.
    public func deliveries(incident: String?) async throws -> [OutboxItem] {
        try await read("reading deliveries") { connection in
            if let incident {
                return try await connection.query(
                    "SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE incident = \(incident) ORDER BY position", logger: logger
                ).collect().map(Self.item)
            }
            return try await connection.query("SELECT \(unescaped: Self.outboxColumns) FROM outbox ORDER BY position", logger: logger).collect().map(Self.item)
        }
    }

    /// The earliest pending delivery's next attempt among channels not full.
    public func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? {
        let organisations = full.map(\.organisation)
        let channels = full.map(\.channel)
        return try await read("finding the next delivery") { connection in
            try await connection.query(
                """
                SELECT MIN(next_attempt) FROM outbox o WHERE status = 'pending'
                AND NOT EXISTS (SELECT 1 FROM unnest(\(organisations)::text[], \(channels)::text[]) AS f(organisation, channel)
                  WHERE f.organisation = o.organisation AND f.channel = o.channel)
                """, logger: logger
            ).collect().first?.decode(Int64?.self).map { Instant(seconds: $0) }
        }
    }
}
