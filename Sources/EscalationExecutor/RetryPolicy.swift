import EscalationChannel
import EscalationCore
import EscalationStore
import Foundation

/// What happens to a delivery after an attempt: delivered; retried after an exponential backoff (with jitter) while
/// the failure is retryable, attempts remain and the send deadline is not reached; else failed for good. Pure.
struct RetryPolicy: Sendable {
    /// Attempts before a retryable failure becomes final.
    var maxAttempts: Int
    /// First retry delay in seconds; doubles each attempt.
    var backoffSeconds: Double

    /// The item after an attempt at `now`, and its log line; `jitter` (0.8…1.2) spreads retries.
    func after(_ result: DeliveryResult, item original: OutboxItem, now: Instant, jitter: Double) -> (item: OutboxItem, line: String) {
        var item = original
        item.attempts += 1
        switch result {
        case .delivered(let receipt):
            item.status = .delivered
            item.detail = receipt.externalID
            return (item, "\(item.channel): delivered\(receipt.externalID.map { " (\($0))" } ?? "") [\(item.idempotencyKey)]")
        case .failed(let failure):
            let backoff = min(backoffSeconds * pow(2, Double(item.attempts - 1)) * jitter, 86_400)
            let next = now.adding(seconds: Int(backoff.rounded(.up)))
            item.detail = failure.reason
            if failure.retryable, item.attempts < maxAttempts, next < item.deadline {
                item.status = .pending
                item.nextAttempt = next
                return (item, "\(item.channel): attempt \(item.attempts) failed (\(failure.reason)); retrying at \(next) [\(item.idempotencyKey)]")
            }
            item.status = .failed
            return (item, "\(item.channel): failed after \(item.attempts) attempt(s): \(failure.reason) [\(item.idempotencyKey)]")
        }
    }
}
