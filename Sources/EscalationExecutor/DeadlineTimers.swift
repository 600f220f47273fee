import Dispatch
import Foundation

/// Runs actions at deadlines from one dispatch timer armed for the earliest, for the wall clock's delivery timeouts.
/// A timeout is almost always cancelled (the send ends first): here that is a dictionary removal, where a sleeping
/// task per send cost a task, a dispatch timer registered with libdispatch's manager thread, and a wake-up to end the
/// cancelled sleep. A new deadline re-arms the timer only when it is earlier than the one armed; when the timer
/// fires, the due actions run and it is armed for the earliest left.
final class DeadlineTimers: @unchecked Sendable {
    /// The wall clock's timers.
    static let shared = DeadlineTimers()

    private let lock = NSLock()
    private var entries: [UInt64: (deadline: UInt64, action: @Sendable () -> Void)] = [:]
    private var lastID: UInt64 = 0
    /// The deadline the timer is armed for (nil: not armed).
    private var armed: UInt64?
    /// How many times the timer was armed.
    private var armCount = 0
    private let now: @Sendable () -> UInt64
    private let arm: @Sendable (UInt64) -> Void

    /// Timers on the uptime clock, armed through a dispatch timer source.
    convenience init() {
        let queue = DispatchQueue(label: "escalate.deadline-timers")
        let source = DispatchSource.makeTimerSource(queue: queue)
        let holder = SourceHolder(source: source)
        self.init(now: { DispatchTime.now().uptimeNanoseconds }) { deadline in
            holder.source.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline), leeway: .milliseconds(1))
        }
        source.setEventHandler { [weak self] in self?.fireDue() }
        source.resume()
    }

    /// Timers on an injected clock and arming function (tests call `fireDue` themselves).
    init(now: @escaping @Sendable () -> UInt64, arm: @escaping @Sendable (UInt64) -> Void) {
        self.now = now
        self.arm = arm
    }

    /// Runs `action` once `seconds` have passed, unless the returned function is called first (calling it later, or
    /// twice, does nothing).
    func schedule(after seconds: Double, _ action: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let deadline = now() &+ UInt64(max(0, seconds) * 1e9)
        let id: UInt64 = lock.withLock {
            lastID += 1
            entries[lastID] = (deadline, action)
            // Armed under the lock, so two callers cannot leave the timer armed for the later of their deadlines.
            if armed.map({ deadline < $0 }) ?? true {
                armed = deadline
                armCount += 1
                arm(deadline)
            }
            return lastID
        }
        return { [weak self] in self?.cancel(id) }
    }

    private func cancel(_ id: UInt64) { _ = lock.withLock { entries.removeValue(forKey: id) } }

    /// Runs the actions whose deadline has passed and arms the timer for the earliest left.
    func fireDue() {
        let current = now()
        let due: [@Sendable () -> Void] = lock.withLock {
            var due: [(deadline: UInt64, action: @Sendable () -> Void)] = []
            for (id, entry) in entries where entry.deadline <= current {
                due.append(entry)
                entries[id] = nil
            }
            armed = entries.values.map(\.deadline).min()
            if let next = armed {
                armCount += 1
                arm(next)
            }
            return due.sorted { $0.deadline < $1.deadline }.map(\.action)
        }
        for action in due { action() }
    }

    /// Deadlines waiting (tests).
    var waiting: Int { lock.withLock { entries.count } }

    /// How many times the timer was armed (tests).
    var armings: Int { lock.withLock { armCount } }
}

/// Keeps the dispatch timer source for the arming function.
private final class SourceHolder: @unchecked Sendable {
    let source: any DispatchSourceTimer
    init(source: any DispatchSourceTimer) { self.source = source }
}
