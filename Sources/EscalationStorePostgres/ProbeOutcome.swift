import Foundation

/// The first result of a race between a probe and its timeout.
final class ProbeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, any Error>?
    private var waiter: CheckedContinuation<Void, any Error>?

    /// Settles the race (later calls are ignored).
    func finish(_ outcome: Result<Void, any Error>) {
        let resume: CheckedContinuation<Void, any Error>? = lock.withLock {
            guard result == nil else { return nil }
            result = outcome
            defer { waiter = nil }
            return waiter
        }
        resume?.resume(with: outcome)
    }

    /// Waits for the first result.
    func value() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let settled: Result<Void, any Error>? = lock.withLock {
                if result == nil { waiter = continuation }
                return result
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
