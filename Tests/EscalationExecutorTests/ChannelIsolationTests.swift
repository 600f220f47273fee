import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPolicy
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// One channel whose sends hang cannot take the delivery slots of another: the served loop bounds deliveries per
/// channel of an organisation as well as overall. Everything runs on a manual clock (the hung sends wait on it).
@Suite("Delivery isolation per channel", .timeLimit(.minutes(1)))
struct ChannelIsolationTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { sms: "+1-555-0101" } }
          bob: { name: Bob, addresses: { email: bob@example.org } }
        channels:
          email: { plugin: recording }
          sms: { plugin: slow, timeout: 1h }
        templates:
          page: { subject: "Page", body: "Incident {{ incident.id }}" }
        policies:
          hung:
            name: Hung
            layers:
              - { id: first, notify: [{ contact: alice }], via: [sms], template: page }
          fast:
            name: Fast
            layers:
              - { id: first, notify: [{ contact: bob }], via: [email], template: page }
        """

    /// An executor with 4 delivery slots, `perChannel` of them per channel; its `sms` sends hang for two hours.
    static func executor(clock: ManualClock, log: RecordingChannel.Log, perChannel: Int) throws -> Executor {
        var options = Executor.Options()
        options.maxInFlight = 4
        options.maxInFlightPerChannel = perChannel
        return Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation]),
            registry: try ChannelRegistry([RecordingChannel.self, SlowChannel.self]),
            environment: log.environment().adding(SlowChannel.Slowness(seconds: 7_200, clock: clock)), clock: clock, options: options)
    }

    static func trigger(_ executor: Executor, _ policy: String, times: Int = 1) async throws {
        for _ in 0..<times { _ = try await executor.trigger(organisation: "acme", policy: policy, title: policy, fields: [:], dedupKey: nil) }
    }

    /// Lets the `hung` sends in flight time out (the channel's 1 h) and waits until their results are recorded.
    static func release(_ executor: Executor, clock: ManualClock, hung: Int) async {
        let drained = Task { await executor.drain(seconds: 100_000) }
        // Each hung send sleeps twice on the clock (the plugin, and its timeout); drain once.
        await clock.waitForSleepers(2 * hung + 1)
        clock.advance(seconds: 3_600)
        #expect(await drained.value == 0)
    }

    @Test("four hung SMS pages on a 4-slot executor leave room for an e-mail page: the SMS channel holds 2 slots, its other items wait pending")
    func hungChannelLeavesRoom() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try Self.executor(clock: clock, log: log, perChannel: 2)
        try await Self.trigger(executor, "hung", times: 4)
        #expect(try await executor.dispatchDue(wait: false) == 2, "only the SMS channel's 2 slots are claimed")
        #expect(try await executor.dispatchDue(wait: false) == 0, "the SMS channel is full")
        var statuses = try await executor.deliveries(nil).map(\.status)
        #expect(statuses.filter { $0 == .sending }.count == 2 && statuses.filter { $0 == .pending }.count == 2, "\(statuses)")

        // Bob's e-mail page goes out while the SMS sends hang, from the served loop.
        let loop = Task { await executor.run() }
        defer { loop.cancel() }
        try await Self.trigger(executor, "fast")
        #expect(await log.waitForCalls(1).map(\.address) == ["bob@example.org"])
        // The loop then sleeps until its idle limit instead of spinning on the SMS items it cannot start yet.
        await clock.waitForSleep(until: Harness.start.adding(seconds: 30))
        let wakeups = await executor.metrics.wakeups
        #expect(wakeups < 10, "woke \(wakeups) times")
        loop.cancel()
        _ = await loop.value

        // Once the hung sends end (timed out, to be retried), the waiting SMS items start in their place.
        await Self.release(executor, clock: clock, hung: 2)
        #expect(try await executor.dispatchDue(wait: false) == 2)
        statuses = try await executor.deliveries(nil).filter { $0.channel == "sms" }.map(\.status)
        #expect(statuses.filter { $0 == .sending }.count == 2, "\(statuses)")
        await Self.release(executor, clock: clock, hung: 2)
    }

    @Test("without a bound per channel (per channel = overall), the hung channel takes every slot and the e-mail page waits")
    func withoutTheBound() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try Self.executor(clock: clock, log: log, perChannel: 4)
        try await Self.trigger(executor, "hung", times: 4)
        #expect(try await executor.dispatchDue(wait: false) == 4)
        try await Self.trigger(executor, "fast")
        #expect(try await executor.dispatchDue(wait: false) == 0, "no slot left for the e-mail page")
        #expect(log.all.isEmpty)
        await Self.release(executor, clock: clock, hung: 4)
    }

    @Test("a channel's slot is free once its plugin has answered: its next page does not wait for the first one's result to be recorded")
    func slotFreeBeforeRecord() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = GatedStore(together: 1)
        var options = Executor.Options()
        options.maxInFlight = 4
        options.maxInFlightPerChannel = 1
        let executor = Executor(
            store: store, policies: PolicySet([PolicyLoader().load(files: [(path: "acme.yaml", text: Self.yaml)]).organisation]),
            registry: try ChannelRegistry([RecordingChannel.self, SlowChannel.self]),
            environment: log.environment().adding(SlowChannel.Slowness(seconds: 7_200, clock: clock)), clock: clock, options: options)
        try await Self.trigger(executor, "fast", times: 2)
        await store.holdResults()
        #expect(try await executor.dispatchDue(wait: false) == 1, "one e-mail slot")
        // The first page was sent; its result waits to be recorded.
        while await store.resultsHeld == 0 { await Task.yield() }
        #expect(log.all.count == 1)
        // Before, the slot was held until the result was recorded, and nothing more was started.
        #expect(try await executor.dispatchDue(wait: false) == 1)
        while await store.resultsHeld < 2 { await Task.yield() }
        #expect(log.all.count == 2)
        await store.releaseResults()
        #expect(await executor.drain(seconds: 5) == 0)
        #expect(try await store.inner.deliveries(incident: nil).allSatisfy { $0.status == .delivered })
    }
}

/// On shutdown, deliveries still running after the drain are cancelled rather than left to finish a page after the
/// server is gone; each is recorded as an abandoned attempt, kept for a retry.
@Suite("Shutdown: in-flight deliveries")
struct ShutdownCancelTests {
    @Test("cancelInFlight ends the hung sends at once: recorded pending for a retry, nothing left in flight")
    func cancel() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let executor = try ChannelIsolationTests.executor(clock: clock, log: log, perChannel: 4)
        try await ChannelIsolationTests.trigger(executor, "hung", times: 2)
        #expect(try await executor.dispatchDue(wait: false) == 2)
        #expect(await executor.cancelInFlight() == 2)
        // The cancelled sends record their results at once: drain returns without the clock moving.
        #expect(await executor.drain(seconds: 100_000) == 0)
        let items = try await executor.deliveries(nil)
        #expect(items.map(\.status) == [.pending, .pending], "\(items.map(\.detail))")
        #expect(items.allSatisfy { $0.attempts == 1 })
        #expect(await executor.cancelInFlight() == 0)
    }
}
