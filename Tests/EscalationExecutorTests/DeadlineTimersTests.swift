import EscalationChannel
import Foundation
import Synchronization
import Testing

@testable import EscalationExecutor

/// The wall clock's delivery timeouts: one timer armed for the earliest deadline; cancelled ones never run.
@Suite("Deadline timers")
struct DeadlineTimersTests {
    /// A clock and a timer the test moves and fires by hand.
    final class Manual: @unchecked Sendable {
        let lock = NSLock()
        var now: UInt64 = 1_000
        var armedFor: [UInt64] = []
        var fired: [String] = []

        func timers() -> DeadlineTimers {
            DeadlineTimers(now: { self.lock.withLock { self.now } }, arm: { deadline in self.lock.withLock { self.armedFor.append(deadline) } })
        }

        func record(_ name: String) -> @Sendable () -> Void { { self.lock.withLock { self.fired.append(name) } } }
    }

    @Test("actions run at their deadlines in order; a later deadline does not re-arm; cancelled ones never run")
    func order() {
        let manual = Manual()
        let timers = manual.timers()
        _ = timers.schedule(after: 10, manual.record("a"))
        let cancelB = timers.schedule(after: 20, manual.record("b"))
        _ = timers.schedule(after: 5, manual.record("c"))
        _ = timers.schedule(after: 30, manual.record("d"))
        // Armed for 10 s, then for the earlier 5 s; the later deadlines did not touch the timer.
        #expect(manual.armedFor == [1_000 + 10_000_000_000, 1_000 + 5_000_000_000])
        #expect(timers.armings == 2)
        cancelB()
        cancelB()
        manual.lock.withLock { manual.now += 12_000_000_000 }
        timers.fireDue()
        #expect(manual.fired == ["c", "a"])
        #expect(manual.armedFor.last == 1_000 + 30_000_000_000, "armed for d; b was cancelled")
        #expect(timers.waiting == 1)
        manual.lock.withLock { manual.now += 30_000_000_000 }
        timers.fireDue()
        #expect(manual.fired == ["c", "a", "d"])
        #expect(timers.waiting == 0)
        // Nothing left: fired without anything due, it is not armed again.
        let armed = timers.armings
        timers.fireDue()
        #expect(timers.armings == armed)
    }

    @Test("many timeouts scheduled and cancelled (sends that end in time) arm the timer once and leave nothing")
    func cancelledSends() {
        let manual = Manual()
        let timers = manual.timers()
        for index in 0..<1_000 {
            manual.lock.withLock { manual.now += 1_000_000 }
            let cancel = timers.schedule(after: 10, manual.record("send \\(index)"))
            cancel()
        }
        #expect(timers.armings == 1)
        #expect(timers.waiting == 0)
        manual.lock.withLock { manual.now += 20_000_000_000 }
        timers.fireDue()
        #expect(manual.fired.isEmpty)
    }

    @Test("on the wall clock a hanging send times out (its plugin never answers, so the timeout alone ends it)")
    func wallClockTimeout() async {
        let result = await Executor.withTimeout(0.05, clock: SystemClock()) {
            // A plugin that hangs for ten minutes unless cancelled (the timeout cancels it).
            try? await Task.sleep(nanoseconds: 600_000_000_000)
            return .delivered(DeliveryReceipt(externalID: "late"))
        }
        #expect(result == nil)
        let quick = await Executor.withTimeout(600, clock: SystemClock()) { .delivered(DeliveryReceipt(externalID: "1")) }
        #expect(quick == .delivered(DeliveryReceipt(externalID: "1")))
    }
}
