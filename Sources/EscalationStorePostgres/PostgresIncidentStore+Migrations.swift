import Logging
import PostgresNIO

extension PostgresIncidentStore {
    /// One schema version: its number, a name, and its statements (run in one transaction).
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// The schema, in order. A version is never edited once released: add the next one.
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "incidents, log, timers, outbox, snapshots, tasks, threshold events",
            statements: [
                """
                CREATE TABLE incidents (
                  position BIGSERIAL UNIQUE, id TEXT PRIMARY KEY, organisation TEXT NOT NULL, dedup_key TEXT, status TEXT NOT NULL,
                  state TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX incidents_open_dedup ON incidents (organisation, dedup_key, created_at) WHERE status <> 'resolved'",
                "CREATE INDEX incidents_organisation ON incidents (organisation, position)",
                "CREATE INDEX incidents_organisation_status ON incidents (organisation, status, position)",
                "CREATE INDEX incidents_status ON incidents (status, position)",
                """
                CREATE TABLE event_log (
                  sequence BIGSERIAL PRIMARY KEY, incident TEXT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT)
                """,
                "CREATE INDEX event_log_incident ON event_log (incident, sequence)",
                """
                CREATE TABLE timers (
                  id TEXT PRIMARY KEY, incident TEXT NOT NULL, at BIGINT NOT NULL, position BIGSERIAL, claimed_by TEXT,
                  lease_until DOUBLE PRECISION)
                """,
                "CREATE INDEX timers_at ON timers (at, position)",
                """
                CREATE TABLE outbox (
                  position BIGSERIAL UNIQUE, idempotency_key TEXT PRIMARY KEY, incident TEXT NOT NULL, organisation TEXT NOT NULL,
                  effect TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt BIGINT NOT NULL,
                  deadline BIGINT NOT NULL, detail TEXT, created_at BIGINT NOT NULL, claimed_by TEXT, lease_until DOUBLE PRECISION)
                """,
                "CREATE INDEX outbox_due ON outbox (next_attempt, position) WHERE status = 'pending'",
                "CREATE INDEX outbox_sending ON outbox (lease_until) WHERE status = 'sending'",
                "CREATE INDEX outbox_incident ON outbox (incident, position)",
                """
                CREATE TABLE policy_versions (
                  organisation TEXT NOT NULL, version TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (organisation, version))
                """,
                """
                CREATE TABLE tasks (
                  sequence BIGSERIAL PRIMARY KEY, incident TEXT NOT NULL, title TEXT NOT NULL, assignees TEXT NOT NULL, description TEXT,
                  origin TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX tasks_incident ON tasks (incident, sequence)",
                """
                CREATE TABLE pending_events (
                  sequence BIGSERIAL PRIMARY KEY, organisation TEXT NOT NULL, policy TEXT NOT NULL, at BIGINT NOT NULL, event TEXT NOT NULL)
                """,
                "CREATE INDEX pending_events_key ON pending_events (organisation, policy, at)",
                "CREATE TABLE store_probe (id INTEGER PRIMARY KEY, at DOUBLE PRECISION NOT NULL, owner TEXT NOT NULL)",
            ]),
        Migration(
            version: 2, name: "running policy versions",
            statements: [
                "CREATE TABLE running_policies (organisation TEXT PRIMARY KEY, versions TEXT NOT NULL, owner TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)"
            ]),
    ]

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { migrations.last?.version ?? 0 }

    /// Applies the migrations the database lacks, each in its own transaction, under an advisory lock so that
    /// processes starting together migrate once; returns the versions applied. Refuses a database whose schema is
    /// newer than this build's. The lock is the schema's own: stores on other schemas of the database (other
    /// deployments, or tests in parallel) neither wait for it nor make it wait past the `lock_timeout`.
    @discardableResult
    static func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
        do {
            return try await client.withConnection { connection in
                var applied: [Int] = []
                for migration in migrations {
                    let done: Bool = try await transaction(connection, logger: logger) { connection in
                        // Rows read to the end: a SELECT's error (a lock timeout, a deadlock) reaches its rows, not `query`.
                        _ = try await connection.query(
                            "SELECT pg_advisory_xact_lock(hashtextextended('escalate/migrations/' || COALESCE(current_schema(), ''), 0))", logger: logger
                        ).collect()
                        // Under the lock, so that processes starting together do not race to create it.
                        try await connection.query(
                            "CREATE TABLE IF NOT EXISTS escalate_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                            logger: logger)
                        let newest = try await connection.query("SELECT COALESCE(MAX(version), 0) FROM escalate_schema", logger: logger)
                            .collect().first?.decode(Int.self) ?? 0
                        if newest > schemaVersion {
                            throw PostgresStoreError(
                                "migrating", reason: "the database's schema is version \(newest), newer than this build's \(schemaVersion); run a newer escalate")
                        }
                        guard newest < migration.version else { return true }
                        for statement in migration.statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                        try await connection.query(
                            "INSERT INTO escalate_schema (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
                        return false
                    }
                    if !done {
                        applied.append(migration.version)
                        logger.notice("database migrated", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                    }
                }
                return applied
            }
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError("migrating", error)
        }
    }

    /// Applies the migrations the database lacks (`escalate db migrate`); returns the versions applied.
    @discardableResult
    public func migrate() async throws -> [Int] { try await Self.migrate(client: client, logger: logger) }

    /// The schema version the database is at (0 before the first migration).
    public func databaseSchemaVersion() async throws -> Int {
        try await read("reading the schema version") { connection in
            let exists = try await connection.query("SELECT to_regclass('escalate_schema') IS NOT NULL", logger: logger).collect().first?.decode(Bool.self)
            guard exists == true else { return 0 }
            return try await connection.query("SELECT COALESCE(MAX(version), 0) FROM escalate_schema", logger: logger).collect().first?.decode(Int.self) ?? 0
        }
    }
}

extension PostgresIncidentStore {
    /// Drops a schema and everything in it (tests clean up the schema each made).
    public func dropSchemaForTests(_ schema: String) async throws {
        guard schema.hasPrefix("t_"), schema.allSatisfy({ ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }) else { return }
        _ = try await read("dropping schema \(schema)") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
        }
    }
}

extension PostgresIncidentStore {
    /// How many advisory locks are being waited for in the database (tests see a process blocked on a key).
    public func waitingAdvisoryLocks() async throws -> Int {
        try await read("reading pg_locks") { connection in
            try await connection.query("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
        }
    }
}
