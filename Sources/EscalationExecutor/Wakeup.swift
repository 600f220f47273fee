import EscalationCore
import Foundation

/// Wakes the executor's loop early: a commit that queues a delivery or arms a timer signals it, so the loop
/// sleeps until the next due instant instead of polling. A signal given while nobody waits is kept for the next wait.
final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Wakes the waiter (or the next one).
    func signal() {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let waiter else {
                pending = true
                return nil
            }
            self.waiter = nil
            return waiter
        }
        waiting?.resume()
    }

    /// Returns on a signal (at once if one is pending) or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if pending || Task.isCancelled {
                        pending = false
                        return true
                    }
                    waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
                defer { waiter = nil }
                return waiter
            }
            waiting?.resume()
        }
    }

    /// Returns on a signal or at `deadline` on `clock`, whichever comes first (at once, without sleeping on the
    /// clock, when a signal is pending).
    func wait(until deadline: Instant, clock: any ExecutorClock) async {
        let signalled: Bool = lock.withLock {
            defer { pending = false }
            return pending
        }
        guard !signalled else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clock.sleep(until: deadline) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
