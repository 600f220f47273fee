import EscalationChannel
import EscalationCore
import EscalationStore
import EscalationTesting
import Foundation
import Testing

@testable import EscalationExecutor

/// A channel whose sends keep failing or timing out is degraded (log, `/healthz`, metric) and runs one send at a
/// time until one is delivered; other channels keep their slots.
@Suite("Channel health")
struct ChannelHealthTests {
    static let sms = DeliveryChannel(organisation: "acme", channel: "sms")
    static let email = DeliveryChannel(organisation: "acme", channel: "email")

    @Test("five retryable failures in a row degrade a channel; a delivery recovers it; a permanent failure says nothing")
    func degradesAndRecovers() {
        var health = ChannelHealth()
        for _ in 0..<4 { #expect(health.note(Self.sms, delivered: false, retryableFailure: "timed out") == .none) }
        // A failure that is not retryable (a bad address) is not the channel's fault: the run goes on.
        #expect(health.note(Self.sms, delivered: false, retryableFailure: nil) == .none)
        #expect(!health.isDegraded(Self.sms))
        #expect(health.note(Self.sms, delivered: false, retryableFailure: "timed out") == .degraded)
        #expect(health.note(Self.sms, delivered: false, retryableFailure: "timed out") == .none)
        #expect(health.isDegraded(Self.sms) && !health.isDegraded(Self.email))
        #expect(health.note(Self.sms, delivered: true, retryableFailure: nil) == .recovered)
        #expect(!health.isDegraded(Self.sms))
        // The run starts again from zero.
        for _ in 0..<4 { #expect(health.note(Self.sms, delivered: false, retryableFailure: "503") == .none) }
    }

    @Test("a degraded channel may start one send when none runs, none while one runs; others keep their room")
    func pacing() {
        var health = ChannelHealth()
        for _ in 0..<5 { _ = health.note(Self.sms, delivered: false, retryableFailure: "timed out") }
        let idle = DeliveryBudget(total: 50, perChannel: 20, inFlight: health.paced([Self.email: 3], perChannel: 20))
        #expect(idle.room(for: Self.sms) == 1)
        #expect(idle.room(for: Self.email) == 17)
        let busy = DeliveryBudget(total: 50, perChannel: 20, inFlight: health.paced([Self.sms: 1, Self.email: 3], perChannel: 20))
        #expect(busy.room(for: Self.sms) == 0)
        #expect(busy.room(for: Self.email) == 17)
    }

    @Test("the executor marks a channel degraded after its sends keep failing, and clears it when one is delivered")
    func executorTracksHealth() async throws {
        let log = RecordingChannel.Log()
        log.fail(address: "+1-555-0101", with: DeliveryFailure(retryable: true, reason: "gateway timeout"))
        let clock = ManualClock(Harness.start)
        let executor = try Harness.executor(store: InMemoryIncidentStore(), clock: clock, log: log)
        for index in 0..<5 {
            _ = try await executor.trigger(organisation: "acme", policy: nil, title: "x\(index)", fields: [:], dedupKey: "k\(index)")
        }
        try await executor.dispatchDue()
        #expect(await executor.degradedChannels == ["acme/sms": "gateway timeout"])
        // The gateway comes back: the next retry is delivered and the channel is healthy again.
        log.heal(address: "+1-555-0101")
        clock.advance(seconds: 600)
        try await executor.dispatchDue()
        #expect(await executor.degradedChannels.isEmpty)
        #expect(log.all.filter { $0.address == "+1-555-0101" }.count >= 6)
    }
}
