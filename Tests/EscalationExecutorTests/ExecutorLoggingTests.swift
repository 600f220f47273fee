import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPipeline
import EscalationStore
import EscalationTesting
import Foundation
import Logging
import Testing

/// The executor says what it did through its injected `Logger`, with the incident in the metadata.
@Suite("Executor logging")
struct ExecutorLoggingTests {
    @Test("an opened incident and a final delivery failure are logged with their incident, channel and status")
    func logs() async throws {
        let lines = InMemoryLogHandler.Lines()
        let log = RecordingChannel.Log()
        log.fail(channel: "sms", contact: nil, with: DeliveryFailure(retryable: false, reason: "number unreachable"))
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet(graphs: [PolicyPipeline().run(files: [(path: "acme.yaml", text: Harness.yaml)]).graph]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: log.environment(), clock: ManualClock(Harness.start),
            logger: lines.logger(label: "escalate.executor"))
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident.id
        try await executor.dispatchDue()
        let opened = try #require(lines.all.first { $0.message == "incident opened" })
        #expect(opened.level == .info)
        #expect(opened.metadata["incident"] == id)
        #expect(opened.metadata["policy"] == "outage")
        let failed = try #require(lines.all.first { $0.message.hasPrefix("delivery failed") })
        #expect(failed.level == .warning)
        #expect(failed.message.contains("number unreachable"))
        #expect(failed.metadata["channel"] == "sms")
        #expect(failed.metadata["incident"] == id)
        #expect(failed.metadata["status"] == "failed")
    }
}
