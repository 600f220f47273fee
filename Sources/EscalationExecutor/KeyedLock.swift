import Foundation

/// One holder per key at a time, waiters served in arrival order: one event at a time per incident, one trigger at
/// a time per dedup key and per threshold.
final class KeyedLock: @unchecked Sendable {
    private let lock = NSLock()
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Returns once the caller holds `key`; call `release` when done.
    func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                guard held.contains(key) else {
                    held.insert(key)
                    return true
                }
                waiting[key, default: []].append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Hands `key` to the next waiter, or frees it.
    func release(_ key: String) {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard var queue = waiting[key], !queue.isEmpty else {
                held.remove(key)
                return nil
            }
            let first = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            return first
        }
        next?.resume()
    }

    /// Whether anyone holds `key` (tests).
    func isHeld(_ key: String) -> Bool { lock.withLock { held.contains(key) } }
}
