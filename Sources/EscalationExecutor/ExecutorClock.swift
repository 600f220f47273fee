import EscalationCore
import Foundation

/// The executor's source of time: the wall clock in production, a manual clock in tests.
public protocol ExecutorClock: Sendable {
    /// The current instant.
    func now() -> Instant
    /// Sleeps for up to `seconds` (a manual clock may return at once).
    func sleep(seconds: Double) async
    /// Sleeps until `instant` (returning early when the task is cancelled).
    func sleep(until instant: Instant) async
    /// Now with sub-second precision, in seconds since 1970 (for lag metrics).
    func preciseNow() -> Double
}

extension ExecutorClock {
    /// Sleeps the whole seconds between now and `instant`.
    public func sleep(until instant: Instant) async { await sleep(seconds: Double(instant.seconds(since: now()))) }
    /// Now, to the second.
    public func preciseNow() -> Double { Double(now().seconds) }
}

/// The wall clock.
public struct SystemClock: ExecutorClock {
    /// Creates the wall clock.
    public init() {}
    /// Now, to the second.
    public func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
    /// Sleeps.
    public func sleep(seconds: Double) async { try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1e9)) }
    /// Sleeps until the wall clock reaches `instant` exactly (not a whole second late).
    public func sleep(until instant: Instant) async { await sleep(seconds: Double(instant.seconds) - Date().timeIntervalSince1970) }
    /// Now, to the microsecond.
    public func preciseNow() -> Double { Date().timeIntervalSince1970 }
}

/// A clock tests move by hand.
public final class ManualClock: ExecutorClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Instant

    /// A clock at an instant.
    public init(_ start: Instant) { current = start }

    /// Now.
    public func now() -> Instant { lock.withLock { current } }

    /// Moves the clock.
    public func set(_ instant: Instant) { lock.withLock { current = instant } }

    /// Moves the clock forward.
    public func advance(seconds: Int) { lock.withLock { current = current.adding(seconds: seconds) } }

    /// Returns at once (tests drive the executor step by step).
    public func sleep(seconds: Double) async { await Task.yield() }
}
