import EscalationStorePostgres
import Foundation
import Testing
import Logging

/// The test database named by `ESCALATE_TEST_POSTGRES_URL` (scripts/testing/pg_server.py starts one and sets it;
/// `scripts/test.sh` and CI run the suite under it). Without it the PostgreSQL tests are skipped.
enum TestDatabase {
    /// The URL, if set.
    static let url = ProcessInfo.processInfo.environment["ESCALATE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Why the tests are skipped.
    static let skipNote: Comment = "ESCALATE_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (run scripts/testing/pg_server.py -- swift test)"

    /// A fresh schema name per test (the tests run in parallel, each in its own schema).
    static func schema() -> String { "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16) }

    /// A started store on a schema (a new one unless given), with an owner name and a lease clock.
    static func store(
        schema: String, owner: String = "test", clock: LeaseClock = LeaseClock(), heartbeat: Bool = false
    ) async throws -> PostgresIncidentStore {
        guard let url else { throw PostgresStoreError("opening the test database", reason: "ESCALATE_TEST_POSTGRES_URL is not set") }
        var options = PostgresIncidentStore.Options()
        options.schema = schema
        options.owner = owner
        options.heartbeat = heartbeat
        options.maxConnections = 4
        options.leaseSeconds = 10
        // Tests run in parallel on a pool as wide as the machine has cores: a transaction's task can be resumed late.
        options.stuckSeconds = 300
        let store = PostgresIncidentStore(
            location: try PostgresLocation(url: url), options: options, logger: Logger(label: "test.postgres", factory: { _ in SwiftLogNoOpLogHandler() }), leaseClock: { clock.now })
        try await store.start()
        return store
    }

    /// Drops a test schema.
    static func drop(_ schema: String, with store: PostgresIncidentStore) async {
        try? await store.dropSchemaForTests(schema)
    }
}
