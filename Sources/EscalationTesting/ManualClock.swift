import EscalationCore
import EscalationExecutor
import Foundation

/// A clock tests move by hand: time stands still until `advance` or `set`, and a sleep on it ends only when the
/// clock is moved to or past its deadline (or its task is cancelled), so timeouts and waits never race real time.
public final class ManualClock: ExecutorClock, @unchecked Sendable {
    private typealias Waiter = CheckedContinuation<Void, Never>
    private let lock = NSLock()
    /// Now, in nanoseconds since 1970 (integers, so that deadlines and advances add up exactly).
    private var current: Int64
    private var sleepers: [UInt64: (deadline: Int64, waiter: Waiter)] = [:]
    private var watchers: [(satisfied: ([Int64]) -> Bool, waiter: Waiter)] = []
    private var lastID: UInt64 = 0

    /// A clock at an instant.
    public init(_ start: Instant) { current = Self.nanoseconds(start) }

    private static func nanoseconds(_ instant: Instant) -> Int64 { instant.seconds * 1_000_000_000 }
    private static func nanoseconds(_ seconds: Double) -> Int64 { Int64((max(seconds, 0) * 1e9).rounded()) }

    /// Now, to the second (rounded down).
    public func now() -> Instant {
        let nanos = lock.withLock { current }
        return Instant(seconds: nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000)
    }

    /// Now, in seconds since 1970 with the sub-second part.
    public func preciseNow() -> Double { Double(lock.withLock { current }) / 1e9 }

    /// Moves the clock to an instant (back or forth), ending the sleeps due by then.
    public func set(_ instant: Instant) { move { _ in Self.nanoseconds(instant) } }

    /// Moves the clock forward by whole seconds, ending the sleeps due by then.
    public func advance(seconds: Int) { move { $0 + Int64(seconds) * 1_000_000_000 } }

    /// Moves the clock forward by a (fractional) number of seconds, ending the sleeps due by then.
    public func advance(by seconds: Double) { move { $0 + Self.nanoseconds(seconds) } }

    private func move(_ change: (Int64) -> Int64) {
        let due: [Waiter] = lock.withLock {
            current = change(current)
            let ready = sleepers.filter { $0.value.deadline <= current }.sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
            for (id, _) in ready { sleepers[id] = nil }
            return ready.map(\.value.waiter)
        }
        for waiter in due { waiter.resume() }
    }

    /// Sleeps until the clock has been moved `seconds` past now (returns at once for zero or less).
    public func sleep(seconds: Double) async {
        let deadline = lock.withLock { current } + Self.nanoseconds(seconds)
        await sleep(untilNanoseconds: deadline)
    }

    /// Sleeps until the clock has been moved to `instant` (returns at once if it is there already).
    public func sleep(until instant: Instant) async { await sleep(untilNanoseconds: Self.nanoseconds(instant)) }

    private func sleep(untilNanoseconds deadline: Int64) async {
        let id: UInt64 = lock.withLock {
            lastID += 1
            return lastID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: Waiter) in
                let (resumeNow, watching): (Bool, [Waiter]) = lock.withLock {
                    if Task.isCancelled || deadline <= current { return (true, []) }
                    sleepers[id] = (deadline, waiter)
                    return (false, satisfiedWatchers())
                }
                if resumeNow { waiter.resume() }
                for watcher in watching { watcher.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { sleepers.removeValue(forKey: id)?.waiter }
            waiter?.resume()
        }
    }

    /// Removes and returns the watchers whose condition the pending sleeps now meet (call with the lock held).
    private func satisfiedWatchers() -> [Waiter] {
        let deadlines = sleepers.values.map(\.deadline).sorted()
        var met: [Waiter] = []
        watchers.removeAll { watcher in
            guard watcher.satisfied(deadlines) else { return false }
            met.append(watcher.waiter)
            return true
        }
        return met
    }

    private func wait(until satisfied: @escaping ([Int64]) -> Bool) async {
        await withCheckedContinuation { (waiter: Waiter) in
            let now: Bool = lock.withLock {
                if satisfied(sleepers.values.map(\.deadline).sorted()) { return true }
                watchers.append((satisfied, waiter))
                return false
            }
            if now { waiter.resume() }
        }
    }

    /// The deadlines of the sleeps in progress, in seconds since 1970, earliest first.
    public var pendingSleeps: [Double] { lock.withLock { sleepers.values.map { Double($0.deadline) / 1e9 }.sorted() } }

    /// Returns once at least `count` sleeps are in progress, so a test moves the clock only after they have begun.
    public func waitForSleepers(_ count: Int) async { await wait { $0.count >= count } }

    /// Returns once a sleep until exactly `instant` is in progress (e.g. the executor's loop waiting for its next timer).
    public func waitForSleep(until instant: Instant) async {
        let deadline = Self.nanoseconds(instant)
        await wait { $0.contains(deadline) }
    }
}
