import EscalationCore
import EscalationEngine
import EscalationStore
import EscalationTesting
import Foundation
import Testing

@testable import EscalationExecutor

/// Reply codes: open incidents of an organisation never share one; a resolved incident's code is free again; the
/// codes in use are kept in memory, so a trigger does not read every open incident.
@Suite("Reply codes")
struct ReplyCodeTests {
    @Test("concurrent triggers get distinct codes; a resolve frees its code for the next incident; a restart reads them back")
    func distinctAndReused() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = InMemoryIncidentStore()
        let executor = try Harness.executor(store: store, clock: clock, log: log)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 {
                group.addTask { try await executor.trigger(organisation: "acme", policy: nil, title: "t\(index)", fields: [:], dedupKey: "k\(index)").incident.id }
            }
            var collected: [String] = []
            for try await id in group { collected.append(id) }
            return collected
        }
        var codes: [String: String] = [:]
        for id in ids { codes[id] = try await executor.incident(id)?.state.replyCode }
        #expect(Set(codes.values) == Set((1...20).map(String.init)))
        // Resolving the incident holding code 7 frees it: the next incident takes 7.
        let seventh = try #require(codes.first { $0.value == "7" }?.key)
        try await executor.handle(incident: seventh, event: .resolve(by: "alice", scope: nil, outcome: nil))
        let next = try await executor.trigger(organisation: "acme", policy: nil, title: "next", fields: [:], dedupKey: "next").incident
        #expect(next.state.replyCode == "7")
        // A new executor on the same store reads the codes in use back: the next free one is 21.
        let restarted = try Harness.executor(store: store, clock: clock, log: log)
        let after = try await restarted.trigger(organisation: "acme", policy: nil, title: "after", fields: [:], dedupKey: "after").incident
        #expect(after.state.replyCode == "21")
    }
}
