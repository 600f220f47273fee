import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationPolicy
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// Builds an executor over a YAML organisation whose channels all use the recording plugin.
struct Harness {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org, sms: "+1-555-0101" } }
          bob: { name: Bob, addresses: { email: bob@example.org, sms: "+1-555-0102" } }
        channels:
          email: { plugin: recording }
          sms: { plugin: recording }
        templates:
          page: { subject: "Page {{ incident.title }}", body: "Incident {{ incident.id }}" }
        policies:
          outage:
            name: Outage
            layers:
              - id: first
                notify: [{ contact: alice }]
                via: [sms, email]
                template: page
                timeout: 10m
              - id: second
                notify: [{ contact: bob }]
                via: [email]
                template: page
        """

    static func organisation(_ yaml: String = yaml) -> Organisation {
        PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
    }

    static func executor(store: any IncidentStore, clock: ManualClock, yaml: String = yaml) throws -> Executor {
        Executor(
            store: store, policies: PolicySet([organisation(yaml)]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: ChannelEnvironment([:]), clock: clock)
    }

    static let start = Instant(seconds: 1_795_000_000)
}

@Suite("Executor", .serialized)
struct ExecutorTests {
    @Test("a trigger is delivered, a timeout moves to the next layer, an ack stops the ladder")
    func ladder() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock)
        let triggered = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: "disk")
        #expect(triggered.created)
        #expect(try await executor.dispatchDue() == 1)
        #expect(RecordingChannel.log.all.map(\.address) == ["+1-555-0101"])
        // The same dedup key joins the open incident.
        let again = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: "disk")
        #expect(!again.created && again.incident.id == triggered.incident.id)
        clock.advance(seconds: 600)
        #expect(try await executor.fireDueTimers() == 1)
        try await executor.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.address) == ["+1-555-0101", "bob@example.org"])
        let acknowledged = try await executor.handle(incident: triggered.incident.id, event: .acknowledge(by: "bob"))
        #expect(acknowledged.state.status == .acknowledged)
        let timeline = try await executor.timeline(triggered.incident.id).map(\.text)
        #expect(timeline.contains { $0.contains("acknowledged by bob") })
        #expect(timeline.contains { $0.contains("delivered") })
    }

    @Test("a failed delivery falls back to the next channel at once")
    func fallback() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        RecordingChannel.log.fail(address: "+1-555-0101", with: DeliveryFailure(retryable: false, reason: "number disconnected"))
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock)
        _ = try await executor.trigger(organisation: "acme", policy: "outage", title: "x", fields: [:], dedupKey: nil)
        try await executor.dispatchDue()
        try await executor.dispatchDue()
        #expect(RecordingChannel.log.all.map(\.address) == ["+1-555-0101", "alice@example.org"])
    }

    @Test("state, timers and outbox survive a restart; an interrupted send is not resent but reported as failed")
    func durability() async throws {
        RecordingChannel.log = RecordingChannel.Log()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        var id = ""
        do {
            let store = try SQLiteIncidentStore(path: path)
            let executor = try Harness.executor(store: store, clock: clock)
            id = try await executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
            // Claim the SMS delivery as a dispatcher would, then "crash" before recording its result.
            #expect(try await store.claimDeliveries(now: clock.now(), limit: 10).count == 1)
        }
        let reopened = try SQLiteIncidentStore(path: path)
        let stored = try #require(try await reopened.incident(id: id))
        #expect(stored.state.status == .open)
        #expect(try await reopened.timers().count == 1)
        let executor = try Harness.executor(store: reopened, clock: clock)
        #expect(try await executor.recover() == 1)
        #expect(RecordingChannel.log.all.isEmpty)  // not resent blindly
        try await executor.dispatchDue()
        // The engine fell back to e-mail for alice.
        #expect(RecordingChannel.log.all.map(\.address) == ["alice@example.org"])
        let deliveries = try await executor.deliveries(id)
        #expect(deliveries.first?.status == .failed)
        #expect(deliveries.first?.detail?.contains("interrupted") == true)
    }
}
