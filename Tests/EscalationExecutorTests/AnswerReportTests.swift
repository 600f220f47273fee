import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationGraph
import EscalationPolicy
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// A plugin's report that a call was answered, or not, reaches the engine through the executor.
@Suite("Executor: answered and unanswered deliveries")
struct AnswerReportTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          pat: { name: Pat, addresses: { phone: "+1-555-0101", email: pat@example.org } }
        channels:
          phone: { plugin: recording }
          email: { plugin: recording }
        templates:
          page: { body: "{{ incident.title }}" }
        policies:
          call:
            name: Call
            layers:
              - id: only
                notify: [{ contact: pat }]
                via: [phone, { channel: email, unanswered: 2m }]
                template: page
        """

    /// Triggers, delivers, then runs timers for 10 minutes; returns the channels delivered to and the incident's log.
    static func run(answer: DeliveryAnswer?) async throws -> (channels: [String], log: [String]) {
        let organisation = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
        let log = RecordingChannel.Log()
        if let answer { log.answer(channel: "phone", contact: "pat", with: answer) }
        let start = Instant(seconds: 1_795_000_020)
        let clock = ManualClock(start)
        let store = InMemoryIncidentStore()
        let executor = Executor(
            store: store, policies: PolicySet([organisation]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: clock)
        let reception = try await executor.receive(organisation: "acme", policy: "call", title: "Down", fields: [:], dedupKey: nil)
        guard case .opened(let opened) = reception else {
            Issue.record("not opened: \(reception)")
            return ([], [])
        }
        while try await executor.dispatchDue() > 0 {}
        while let next = try await executor.nextTimer(), next <= start.adding(seconds: 600) {
            clock.set(next)
            try await executor.fireDueTimers()
            while try await executor.dispatchDue() > 0 {}
        }
        let timeline = try await store.log(incident: opened.incident.id).map(\.text)
        return (log.all.map(\.channel), timeline)
    }

    @Test("unanswered: the e-mail goes at once")
    func unanswered() async throws {
        let (channels, log) = try await Self.run(answer: .unanswered)
        #expect(channels == ["phone", "email"])
        #expect(log.contains { $0.contains("not answered") })
    }

    @Test("answered: no e-mail")
    func answered() async throws {
        let (channels, log) = try await Self.run(answer: .answered)
        #expect(channels == ["phone"])
        #expect(log.contains { $0.contains("answered") } && !log.contains { $0.contains("not answered") })
    }

    @Test("nothing reported: the e-mail after the wait")
    func silent() async throws {
        let (channels, _) = try await Self.run(answer: nil)
        #expect(channels == ["phone", "email"])
    }
}
