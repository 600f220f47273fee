import EscalationCore
import EscalationStore
import EscalationTesting
import Testing

@testable import EscalationExecutor

/// A burst's pages are claimed with their triggers while each waits for its group commit, so a channel's slots must
/// cover the triggers committing together: with the default options, 32 triggers of one channel reaching the store at
/// once all claim their page (`sending`) instead of leaving the ones past the channel's slots `pending` for the
/// served loop (before: 20 slots, and 12 of the 32 waited for a claim of the loop's own).
@Suite("A burst's pages and the channel's slots", .timeLimit(.minutes(1)))
struct BurstSlotsTests {
    @Test("the default slots are 40 per channel and 200 in all")
    func defaults() {
        let options = Executor.Options()
        #expect(options.maxInFlightPerChannel == 40)
        #expect(options.maxInFlight == 200)
    }

    @Test("32 triggers committing together on one channel all claim their page with the default options")
    func thirtyTwoTogether() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let gate = GatedStore(together: 1)
        let store = CommitRecordingStore(gate)
        var options = Executor.Options()
        options.perContactPerMinute = Int.max
        let (executor, loop) = try await ImmediateClaimTests.running(store, clock: clock, log: log, options: options)
        defer { loop.cancel() }
        // The first trigger saves the policy version's snapshot alone; the next 32 reach the gate together.
        try await ChannelIsolationTests.trigger(executor, "fast")
        await gate.set(together: 32) { _ in false }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 { group.addTask { try await ChannelIsolationTests.trigger(executor, "fast") } }
            try await group.waitForAll()
        }
        #expect(await gate.mostTogether == 32)
        let statuses = await store.committedStatuses
        #expect(statuses.count == 33)
        #expect(statuses.allSatisfy { $0 == [.sending] }, "\(statuses)")
        #expect(await log.waitForCalls(33).count == 33)
        #expect(await executor.drain(seconds: 100_000) == 0)
        #expect(await store.claimed == 0, "the loop claimed nothing: no page was left pending")
    }
}
