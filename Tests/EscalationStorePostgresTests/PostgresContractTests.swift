import EscalationStore
import EscalationStorePostgres
import EscalationTesting
import Testing

/// The PostgreSQL store keeps the same contract as the in-memory and SQLite stores, each check in a fresh schema.
@Suite(.enabled(if: TestDatabase.url != nil, TestDatabase.skipNote))
struct PostgresContractTests {
    @Test("the PostgreSQL store", arguments: IncidentStoreContract.all)
    func postgres(_ check: IncidentStoreContract) async throws {
        let schema = TestDatabase.schema()
        let store = try await TestDatabase.store(schema: schema)
        do {
            try await check.run(on: store)
        } catch {
            await TestDatabase.drop(schema, with: store)
            await store.shutdown()
            throw error
        }
        await TestDatabase.drop(schema, with: store)
        await store.shutdown()
    }

    @Test("migrations are recorded once and a second run applies nothing")
    func migrations() async throws {
        let schema = TestDatabase.schema()
        let store = try await TestDatabase.store(schema: schema)
        #expect(try await store.databaseSchemaVersion() == PostgresIncidentStore.schemaVersion)
        #expect(try await store.migrate() == [])
        await TestDatabase.drop(schema, with: store)
        await store.shutdown()
    }
}
