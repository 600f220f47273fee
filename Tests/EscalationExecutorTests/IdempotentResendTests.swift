import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPipeline
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// A recording plugin that declares it forwards the idempotency key (as webhook, e-mail, file and exec do).
struct IdempotentRecordingChannel: NotificationChannel {
    static let descriptor = ChannelDescriptor(id: "recording-idempotent", summary: "Recording, idempotent (tests only).", capabilities: [.idempotency])
    let inner: RecordingChannel

    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        inner = try RecordingChannel(settings: settings, environment: environment)
    }

    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult { await inner.deliver(message, to: address) }
}

/// After a crash, a send that was in flight on an idempotent plugin is resent with the same key (the far side drops a
/// duplicate), instead of being reported failed, which would page the person a second time through the fallback.
@Suite("Recovery: idempotent resend")
struct IdempotentResendTests {
    @Test("an interrupted send on an idempotent plugin is resent once with its own key; nobody is paged through the fallback")
    func resend() async throws {
        let log = RecordingChannel.Log()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let yaml = Harness.yaml.replacingOccurrences(of: "sms: { plugin: recording }", with: "sms: { plugin: recording-idempotent }")
        #expect(yaml.contains("recording-idempotent"))
        let registry = try ChannelRegistry([RecordingChannel.self, IdempotentRecordingChannel.self])
        let graph = PolicyPipeline(channels: registry).run(files: [(path: "acme.yaml", text: yaml)]).graph
        let clock = ManualClock(Harness.start)
        func executor(_ store: any IncidentStore) -> Executor {
            Executor(store: store, policies: PolicySet(graphs: [graph]), registry: registry, environment: log.environment(), clock: clock)
        }
        var id = ""
        var key = ""
        do {
            let store = try SQLiteIncidentStore(path: path)
            id = try await executor(store).trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
            let claimed = try await store.claimDeliveries(now: clock.now(), limit: 10)
            #expect(claimed.map(\.channel) == ["sms"])
            key = claimed.first?.idempotencyKey ?? ""
        }
        let restarted = executor(try SQLiteIncidentStore(path: path))
        #expect(try await restarted.recover() == 1)
        try await restarted.dispatchDue()
        #expect(log.all.map(\.message.idempotencyKey) == [key])
        #expect(log.all.map(\.channel) == ["sms"])
        let deliveries = try await restarted.deliveries(id)
        #expect(deliveries.map(\.status) == [.delivered])
        #expect(try await restarted.timeline(id).contains { $0.text.contains("resent with the same key") })
    }
}
