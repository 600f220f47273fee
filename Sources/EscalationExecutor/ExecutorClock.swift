import EscalationCore
import Foundation

/// The executor's source of time: the wall clock in production, a manual clock in tests (EscalationTesting's
/// `ManualClock`). Every wait of the executor (the loop's sleep, delivery timeouts, the shutdown drain) goes through it.
public protocol ExecutorClock: Sendable {
    /// The current instant.
    func now() -> Instant
    /// Sleeps for `seconds` on this clock, returning early when the task is cancelled (a manual clock returns once a
    /// test has moved it past the deadline).
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
