import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPolicy
import EscalationStore
import EscalationTesting
import Foundation
import Testing

/// After a restart with many overdue timers, the served loop fires them in bounded batches interleaved with
/// dispatch: a due page goes out after one batch, not after every timer (issue 13, item 15).
@Suite("Restart: overdue timers in batches", .timeLimit(.minutes(1)))
struct RestartBatchTests {
    /// 40 incidents triggered, their first pages sent, then the clock moved past every layer timeout (the server was down).
    static func downtime(store: InMemoryIncidentStore, clock: ManualClock) async throws {
        let before = try executor(store: store, clock: clock, log: RecordingChannel.Log(), batch: 50)
        for index in 0..<40 {
            _ = try await before.trigger(organisation: "acme", policy: "outage", title: "down \(index)", fields: [:], dedupKey: "down-\(index)")
        }
        try await before.dispatchDue(limit: 1_000)
        clock.advance(seconds: 3_600)
    }

    /// An executor that throttles nobody (alice gets 40 pages at once, then bob), firing `batch` timers a turn.
    static func executor(store: InMemoryIncidentStore, clock: ManualClock, log: RecordingChannel.Log, batch: Int) throws -> Executor {
        var options = Executor.Options()
        options.timerBatch = batch
        options.perContactPerMinute = Int.max
        return Executor(
            store: store, policies: PolicySet([Harness.organisation()]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: clock, options: options)
    }

    static func restarted(store: InMemoryIncidentStore, clock: ManualClock, log: RecordingChannel.Log, batch: Int) async throws -> Executor {
        let executor = try executor(store: store, clock: clock, log: log, batch: batch)
        try await executor.recover()
        return executor
    }

    @Test("one turn fires a batch of 10 of the 40 overdue timers and dispatches the pages due, with 30 timers still overdue")
    func turnInterleaves() async throws {
        let store = InMemoryIncidentStore()
        let clock = ManualClock(Harness.start)
        try await Self.downtime(store: store, clock: clock)
        let log = RecordingChannel.Log()
        let executor = try await Self.restarted(store: store, clock: clock, log: log, batch: 10)
        // A new incident arrives at start: its page is due now.
        _ = try await executor.trigger(organisation: "acme", policy: "outage", title: "new", fields: [:], dedupKey: "new")

        let turn = try await executor.serveTurn()
        #expect(turn.fired == 10)
        #expect(turn.dispatched > 0)
        #expect(turn.timersLeft)
        let overdue = try await store.timers().filter { $0.at <= clock.now() }.count
        #expect(overdue == 30, "timers still overdue after the first turn: \(overdue)")
        let calls = await log.waitForCalls(1)
        #expect(!calls.isEmpty)
    }

    @Test("the served loop pages before the last overdue timer fires, and fires them all")
    func loopInterleaves() async throws {
        let store = InMemoryIncidentStore()
        let clock = ManualClock(Harness.start)
        try await Self.downtime(store: store, clock: clock)
        let log = RecordingChannel.Log()
        let executor = try await Self.restarted(store: store, clock: clock, log: log, batch: 5)
        let loop = Task { await executor.run() }
        defer { loop.cancel() }
        // Every escalation to the second layer pages bob once: 40 pages, all sent by the loop.
        let calls = await log.waitForCalls(40)
        #expect(Set(calls.map(\.address)) == ["bob@example.org"])
        #expect(try await store.timers().filter { $0.at <= clock.now() }.isEmpty)
        // Batches of 5: at least 8 turns ran. The last turn's pages start as its transitions commit, so the loop may
        // count that turn after the 40th page: give it its turn (bounded, no sleep).
        var wakeups = await executor.metrics.wakeups
        for _ in 0..<100_000 where wakeups < 8 {
            await Task.yield()
            wakeups = await executor.metrics.wakeups
        }
        #expect(wakeups >= 8)
        loop.cancel()
        _ = await loop.value
    }
}
