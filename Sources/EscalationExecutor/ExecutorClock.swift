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
    /// Runs `action` after `seconds` unless the returned function is called first; nil when this clock has no such
    /// timers (then a timeout sleeps on the clock in a task of its own).
    func timer(after seconds: Double, _ action: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)?
}

extension ExecutorClock {
    /// Sleeps the whole seconds between now and `instant`.
    public func sleep(until instant: Instant) async { await sleep(seconds: Double(instant.seconds(since: now()))) }
    /// Now, to the second.
    public func preciseNow() -> Double { Double(now().seconds) }
    /// No timers of its own: a timeout sleeps on the clock.
    public func timer(after seconds: Double, _ action: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)? { nil }
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
    /// A delivery timeout from the shared deadline timers (no task and no dispatch timer per send).
    public func timer(after seconds: Double, _ action: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)? {
        DeadlineTimers.shared.schedule(after: seconds, action)
    }
}
