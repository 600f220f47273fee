import EscalationStorePostgres
import Logging
import PostgresNIO
import Testing

/// Migrations take their own schema's advisory lock: a store on another schema migrates while it is held, one on the
/// same schema waits for it.
@Suite(.enabled(if: TestDatabase.url != nil, TestDatabase.skipNote), .timeLimit(.minutes(5)))
struct PostgresMigrationLockTests {
    static let logger = Logger(label: "test.postgres.lock", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A plain connection to the test database (no schema, no timeouts).
    static func connect() async throws -> PostgresConnection {
        let location = try PostgresLocation(url: try #require(TestDatabase.url))
        let configuration = PostgresConnection.Configuration(
            host: location.host ?? "127.0.0.1", port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    }

    /// How many sessions wait for a schema's migration lock.
    static func waiters(_ schema: String, on connection: PostgresConnection) async throws -> Int {
        let key = "escalate/migrations/" + schema
        let rows = try await connection.query(
            """
            SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
              AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(\(key), 0)
            """, logger: logger
        ).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// Whether a schema has its migrations table.
    static func migrated(_ schema: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT to_regclass(\(schema + ".escalate_schema")) IS NOT NULL", logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    @Test("a schema's migration lock held: another schema's store starts at once, the same schema's store waits for it")
    func lockPerSchema() async throws {
        let held = TestDatabase.schema()
        let other = TestDatabase.schema()
        let holder = try await Self.connect()
        let watcher = try await Self.connect()
        try await holder.query("BEGIN", logger: Self.logger)
        _ = try await holder.query("SELECT pg_advisory_xact_lock(hashtextextended(\("escalate/migrations/" + held), 0))", logger: Self.logger).collect()

        // With one lock for the whole database this start would wait for the holder until its lock_timeout.
        let free = try await TestDatabase.store(schema: other)
        #expect(try await free.databaseSchemaVersion() == PostgresIncidentStore.schemaVersion)

        let waiting = Task { try await TestDatabase.store(schema: held) }
        // The held schema's store is blocked on its lock (seen in pg_locks), not on time; had it not waited, its
        // schema table would appear.
        var waited = false
        while !waited {
            waited = try await Self.waiters(held, on: watcher) > 0
            if !waited, try await Self.migrated(held, on: watcher) { break }
            await Task.yield()
        }
        #expect(waited, "the store on the held schema migrated without waiting for its lock")
        try await holder.query("COMMIT", logger: Self.logger)
        let store = try await waiting.value
        #expect(try await store.databaseSchemaVersion() == PostgresIncidentStore.schemaVersion)
        #expect(try await store.migrate() == [])

        await TestDatabase.drop(other, with: free)
        await TestDatabase.drop(held, with: store)
        await free.shutdown()
        await store.shutdown()
        try await holder.close()
        try await watcher.close()
    }
}
