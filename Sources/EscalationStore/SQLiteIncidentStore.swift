import EscalationCore
import EscalationEngine
import Foundation
import GRDB

/// The embedded default store: one SQLite file (WAL) through GRDB, with migrations.
public final class SQLiteIncidentStore: IncidentStore {
    private let pool: DatabasePool

    /// Why the store cannot be opened.
    public struct OpenError: Error, CustomStringConvertible, Sendable {
        /// What went wrong and how to fix it.
        public var description: String
    }

    /// Opens (creating and migrating) the database file.
    public init(path: String) throws(OpenError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw OpenError(description: "cannot open the database \(path): \(error); check the path is writable (use --db FILE)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE incidents (
                      id TEXT PRIMARY KEY, organisation TEXT NOT NULL, dedup_key TEXT, status TEXT NOT NULL,
                      state TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                    CREATE INDEX incidents_dedup ON incidents(organisation, dedup_key, status);
                    CREATE TABLE event_log (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT, incident TEXT NOT NULL, at INTEGER NOT NULL,
                      kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT);
                    CREATE INDEX event_log_incident ON event_log(incident, sequence);
                    CREATE TABLE timers (id TEXT PRIMARY KEY, incident TEXT NOT NULL, at INTEGER NOT NULL);
                    CREATE TABLE outbox (
                      idempotency_key TEXT PRIMARY KEY, incident TEXT NOT NULL, organisation TEXT NOT NULL,
                      effect TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                      next_attempt INTEGER NOT NULL, deadline INTEGER NOT NULL, detail TEXT, created_at INTEGER NOT NULL,
                      position INTEGER NOT NULL);
                    CREATE INDEX outbox_due ON outbox(status, next_attempt);
                    """)
        }
        migrator.registerMigration("v2: policy versions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE policy_versions (
                      organisation TEXT NOT NULL, version TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (organisation, version));
                    """)
        }
        migrator.registerMigration("v3: tasks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tasks (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT, incident TEXT NOT NULL, title TEXT NOT NULL, assignees TEXT NOT NULL,
                      description TEXT, origin TEXT NOT NULL, created_at INTEGER NOT NULL);
                    CREATE INDEX tasks_incident ON tasks(incident, sequence);
                    """)
        }
        migrator.registerMigration("v4: threshold events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pending_events (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT, organisation TEXT NOT NULL, policy TEXT NOT NULL, at INTEGER NOT NULL,
                      event TEXT NOT NULL);
                    CREATE INDEX pending_events_key ON pending_events(organisation, policy, at);
                    """)
        }
        return migrator
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func encode(_ state: IncidentState) throws -> String {
        String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    static func incident(_ row: Row) throws -> StoredIncident {
        let json: String = row["state"]
        let state = try JSONDecoder().decode(IncidentState.self, from: Data(json.utf8))
        return StoredIncident(
            id: row["id"], organisation: row["organisation"], state: state, createdAt: Instant(seconds: row["created_at"]),
            updatedAt: Instant(seconds: row["updated_at"]))
    }

    static func item(_ row: Row) -> OutboxItem {
        OutboxItem(
            idempotencyKey: row["idempotency_key"], incident: row["incident"], organisation: row["organisation"], effect: row["effect"],
            channel: row["channel"], status: OutboxItem.Status(rawValue: row["status"]) ?? .failed, attempts: row["attempts"],
            nextAttempt: Instant(seconds: row["next_attempt"]), deadline: Instant(seconds: row["deadline"]), detail: row["detail"],
            createdAt: Instant(seconds: row["created_at"]))
    }

    static func insertLog(_ entries: [EventLogEntry], into db: Database) throws {
        for entry in entries {
            try db.execute(
                sql: "INSERT INTO event_log (incident, at, kind, text, payload) VALUES (?, ?, ?, ?, ?)",
                arguments: [entry.incident, entry.at.seconds, entry.kind, entry.text, entry.payload])
        }
    }

    /// Commits one transition in one SQLite transaction.
    public func commit(_ change: StoreChange) async throws {
        let stateJSON = try Self.encode(change.incident.state)
        try await pool.write { db in
            let incident = change.incident
            try db.execute(
                sql: """
                    INSERT INTO incidents (id, organisation, dedup_key, status, state, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = excluded.status, state = excluded.state, updated_at = excluded.updated_at
                    """,
                arguments: [
                    incident.id, incident.organisation, incident.state.dedupKey, incident.state.status.rawValue, stateJSON,
                    incident.createdAt.seconds, incident.updatedAt.seconds,
                ])
            try Self.insertLog(change.log, into: db)
            if let key = change.consumePending {
                try db.execute(sql: "DELETE FROM pending_events WHERE organisation = ? AND policy = ?", arguments: [key.organisation, key.policy])
            }
            for task in change.tasks {
                try db.execute(
                    sql: "INSERT INTO tasks (incident, title, assignees, description, origin, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [task.incident, task.title, task.assignees.joined(separator: ","), task.description, task.origin, task.createdAt.seconds])
            }
            if let snapshot = change.snapshot {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO policy_versions (organisation, version, document) VALUES (?, ?, ?)",
                    arguments: [snapshot.organisation, snapshot.version, snapshot.document])
            }
            for id in change.removeTimers { try db.execute(sql: "DELETE FROM timers WHERE id = ?", arguments: [id]) }
            for timer in change.addTimers {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO timers (id, incident, at) VALUES (?, ?, ?)", arguments: [timer.id, timer.incident, timer.at.seconds])
            }
            let position = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM outbox") ?? 0
            for (offset, item) in change.outbox.enumerated() {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO outbox (idempotency_key, incident, organisation, effect, channel, status, attempts,
                          next_attempt, deadline, detail, created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        item.idempotencyKey, item.incident, item.organisation, item.effect, item.channel, item.status.rawValue, item.attempts,
                        item.nextAttempt.seconds, item.deadline.seconds, item.detail, item.createdAt.seconds, position + Int64(offset) + 1,
                    ])
            }
        }
    }

    /// Records an event that counts towards a threshold.
    public func addPendingEvent(_ event: PendingEvent) async throws {
        let json = String(decoding: try Self.encoder.encode(event), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO pending_events (organisation, policy, at, event) VALUES (?, ?, ?, ?)",
                arguments: [event.key.organisation, event.key.policy, event.at.seconds, json])
        }
    }

    /// A threshold's pending events since an instant, oldest first.
    public func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] {
        let rows = try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT event FROM pending_events WHERE organisation = ? AND policy = ? AND at >= ? ORDER BY sequence",
                arguments: [key.organisation, key.policy, since.seconds])
        }
        return try rows.map { try JSONDecoder().decode(PendingEvent.self, from: Data($0.utf8)) }
    }

    /// The incident with this id.
    public func incident(id: String) async throws -> StoredIncident? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM incidents WHERE id = ?", arguments: [id]).map(Self.incident)
        }
    }

    /// The open incident with a dedup key.
    public func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM incidents WHERE organisation = ? AND dedup_key = ? AND status != 'resolved' ORDER BY created_at DESC LIMIT 1",
                arguments: [organisation, dedupKey]
            ).map(Self.incident)
        }
    }

    /// Incidents, newest first.
    public func incidents(organisation: String?, limit: Int) async throws -> [StoredIncident] {
        try await pool.read { db in
            if let organisation {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM incidents WHERE organisation = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                    arguments: [organisation, limit]
                ).map(Self.incident)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM incidents ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [limit])
                .map(Self.incident)
        }
    }

    /// An incident's log.
    public func log(incident: String) async throws -> [EventLogEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event_log WHERE incident = ? ORDER BY sequence", arguments: [incident]).map { row in
                EventLogEntry(
                    sequence: row["sequence"], incident: row["incident"], at: Instant(seconds: row["at"]), kind: row["kind"], text: row["text"],
                    payload: row["payload"])
            }
        }
    }

    /// All timers.
    public func timers() async throws -> [StoredTimer] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM timers ORDER BY at, rowid").map {
                StoredTimer(id: $0["id"], incident: $0["incident"], at: Instant(seconds: $0["at"]))
            }
        }
    }

    /// Removes a timer.
    public func removeTimer(id: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM timers WHERE id = ?", arguments: [id]) }
    }

    /// Claims due deliveries.
    public func claimDeliveries(now: Instant, limit: Int) async throws -> [OutboxItem] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, position LIMIT ?",
                arguments: [now.seconds, limit])
            var items: [OutboxItem] = []
            for row in rows {
                var item = Self.item(row)
                item.status = .sending
                try db.execute(sql: "UPDATE outbox SET status = 'sending' WHERE idempotency_key = ?", arguments: [item.idempotencyKey])
                items.append(item)
            }
            return items
        }
    }

    /// Incidents not resolved, counted by the database.
    public func openIncidentCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incidents WHERE status != 'resolved'") ?? 0 }
    }

    /// An incident's tasks.
    public func tasks(incident: String) async throws -> [StoredTask] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tasks WHERE incident = ? ORDER BY sequence", arguments: [incident]).map { row in
                let assignees: String = row["assignees"]
                return StoredTask(
                    incident: row["incident"], title: row["title"], assignees: assignees.split(separator: ",").map(String.init),
                    description: row["description"], origin: row["origin"], createdAt: Instant(seconds: row["created_at"]))
            }
        }
    }

    /// A saved policy version.
    public func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT document FROM policy_versions WHERE organisation = ? AND version = ?", arguments: [organisation, version]
            ).map { PolicySnapshot(organisation: organisation, version: version, document: $0["document"]) }
        }
    }

    /// The earliest pending delivery's next attempt.
    public func nextDeliveryDue() async throws -> Instant? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt) FROM outbox WHERE status = 'pending'").map(Instant.init(seconds:))
        }
    }

    /// Deliveries left sending by a crash.
    public func interruptedDeliveries() async throws -> [OutboxItem] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE status = 'sending' ORDER BY position").map(Self.item)
        }
    }

    /// Saves a delivery.
    public func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET status = ?, attempts = ?, next_attempt = ?, detail = ? WHERE idempotency_key = ?",
                arguments: [item.status.rawValue, item.attempts, item.nextAttempt.seconds, item.detail, item.idempotencyKey])
            try Self.insertLog(log, into: db)
        }
    }

    /// An incident's outbox.
    public func deliveries(incident: String?) async throws -> [OutboxItem] {
        try await pool.read { db in
            if let incident {
                return try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE incident = ? ORDER BY position", arguments: [incident]).map(Self.item)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY position").map(Self.item)
        }
    }

    /// Appends log lines.
    public func append(_ entries: [EventLogEntry]) async throws {
        try await pool.write { db in try Self.insertLog(entries, into: db) }
    }
}
