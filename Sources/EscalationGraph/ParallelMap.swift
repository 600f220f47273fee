import Dispatch
import Foundation

/// Maps indices to values on every core, keeping index order: the result is what a plain `map` gives (lint's
/// organisations, Monte Carlo's distinct runs).
public enum ParallelMap {
    /// `(0..<count).map(transform)`, the calls spread over the cores (`DispatchQueue.concurrentPerform`).
    public static func map<Value: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> Value) -> [Value] {
        guard count > 1 else { return (0..<count).map(transform) }
        let slots = Slots<Value>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.set(index, transform(index))
        }
        return slots.values()
    }

    /// One slot per index, filled from any thread.
    private final class Slots<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Value?]

        init(count: Int) { storage = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: Value) {
            lock.lock()
            defer { lock.unlock() }
            storage[index] = value
        }

        /// Every value, in index order (all slots are filled once `concurrentPerform` returns).
        func values() -> [Value] {
            lock.lock()
            defer { lock.unlock() }
            return storage.compactMap { $0 }
        }
    }
}
