import EscalationCore
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// Both stores keep the same contract (EscalationTesting's `IncidentStoreContract`), each check on a fresh store.
@Suite("Incident store contract")
struct IncidentStoreContractTests {
    @Test("the in-memory store", arguments: IncidentStoreContract.all)
    func inMemory(_ check: IncidentStoreContract) async throws {
        try await check.run(on: InMemoryIncidentStore())
    }

    @Test("the SQLite store", arguments: IncidentStoreContract.all)
    func sqlite(_ check: IncidentStoreContract) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-contract-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await check.run(on: try SQLiteIncidentStore(path: path))
    }

    @Test("a store that breaks the contract is caught")
    func catchesABrokenStore() async throws {
        // A store that forgets timers: the timers check must fail, not pass vacuously.
        await #expect(throws: IncidentStoreContract.Violation.self) {
            try await IncidentStoreContract.timers.run(on: FaultyStore(dropTimers: true))
        }
    }
}
