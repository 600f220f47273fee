import Foundation

/// A write waiting for the SQLite store's batcher: a transition, with its state already encoded, or a delivery's
/// `delivered` result (see `SQLiteIncidentStore.updateDelivery`).
enum PendingCommit: Sendable {
    /// A transition's rows and the incident's state as JSON.
    case transition(StoreChange, stateJSON: String)
    /// A delivered result and its log lines.
    case delivered(OutboxItem, log: [EventLogEntry])

    /// Whether this is a delivered result.
    var isDelivered: Bool {
        if case .delivered = self { return true }
        return false
    }
}

/// Group commit: callers submit items; one writer at a time takes everything waiting (at most `maxBatch`) into one
/// `write` (for the SQLite store: one transaction, one fsync), so items that arrive while a batch is being written
/// share the next one. There is no added wait: an item arriving alone is written at once. Each caller returns when
/// the batch holding its item is written, or with its own item's error (`write` returns them by index), or with
/// the batch's error when the whole write failed.
///
/// The batches are written where `schedule` runs its work (the SQLite store: on its writer's serial queue, the
/// thread that runs the transaction anyway), and each caller is resumed from there as soon as its batch is written.
/// No task of its own drains the queue, so a commit costs no hop through the concurrency pool on its way to the
/// writer and back.
final class CommitBatcher<Item: Sendable>: @unchecked Sendable {
    /// Writes one batch synchronously; the errors of the items that failed, by their index in the batch.
    typealias Write = ([Item]) throws -> [Int: any Error]
    /// Runs `drain` once, off the submitting task, where a batch may be written synchronously; `drain` is given the
    /// function that writes a batch there. Drains never overlap (a new one is scheduled only after the last ended).
    typealias Schedule = @Sendable (_ drain: @escaping @Sendable (_ write: Write) -> Void) -> Void

    /// At most this many items per write.
    let maxBatch: Int
    let lock = NSLock()
    /// The items waiting for a write, and their callers (the same order). Two arrays, so that a batch is handed to
    /// `write` as the array it waited in: no copy of its items, and no shift of what is left.
    private var waitingItems: [Item] = []
    private var waitingCallers: [CheckedContinuation<Void, any Error>] = []
    private var writing = false
    private var schedule: Schedule?
    private var batches = 0

    init(maxBatch: Int = 256) { self.maxBatch = maxBatch }

    /// Sets where batches are written (once, before the first submit).
    func attach(_ schedule: @escaping Schedule) { lock.withLock { self.schedule = schedule } }

    /// Items waiting for a write (read under `lock`).
    var pendingCount: Int { waitingItems.count }

    /// How many writes ran so far.
    var writes: Int { lock.withLock { batches } }

    /// Waits until the item is written (or has failed).
    func submit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let schedule: Schedule?? = lock.withLock {
                waitingItems.append(item)
                waitingCallers.append(continuation)
                if writing { return .none }
                writing = true
                return .some(self.schedule)
            }
            switch schedule {
            case .none: return
            case .some(.none): drain { _ in throw CancellationError() }
            case .some(.some(let schedule)): schedule { write in self.drain(write) }
            }
        }
    }

    /// Takes the next batch (at most `maxBatch` of what waits, oldest first) with its callers, under `lock`; when
    /// nothing waits, the drain ends (`writing` off). What waits is usually fewer than `maxBatch`: then the arrays
    /// themselves are taken, and the next ones start with room for as many.
    private func take() -> (items: [Item], callers: [CheckedContinuation<Void, any Error>]) {
        if waitingItems.isEmpty {
            writing = false
            return ([], [])
        }
        batches += 1
        guard waitingItems.count <= maxBatch else {
            let items = Array(waitingItems.prefix(maxBatch))
            let callers = Array(waitingCallers.prefix(maxBatch))
            waitingItems.removeFirst(maxBatch)
            waitingCallers.removeFirst(maxBatch)
            return (items, callers)
        }
        var items: [Item] = []
        var callers: [CheckedContinuation<Void, any Error>] = []
        items.reserveCapacity(waitingItems.count)
        callers.reserveCapacity(waitingCallers.count)
        swap(&items, &waitingItems)
        swap(&callers, &waitingCallers)
        return (items, callers)
    }

    /// Writes a batch of what waits, resuming its callers as soon as it is written; then, if more waits, schedules
    /// the next drain rather than looping. Under a steady stream of items a loop would keep the writer's queue for
    /// itself, and the other work queued there (a claim of due deliveries, a retry's result) would wait until the
    /// stream paused; a drain scheduled afresh goes behind it.
    private func drain(_ write: Write) {
        while true {
            let (items, callers) = lock.withLock { take() }
            guard !items.isEmpty else { return }
            do {
                let failures = try write(items)
                for (index, continuation) in callers.enumerated() {
                    if let error = failures[index] { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            } catch {
                // The write itself failed (disk full, read-only): none of the batch was written.
                for continuation in callers { continuation.resume(throwing: error) }
            }
            // More waiting: the next batch is written by a drain scheduled behind what else was queued meanwhile
            // (without a schedule, here). Nothing waiting: `writing` is off, and the next submit starts a drain.
            let next: Schedule?? = lock.withLock {
                if waitingItems.isEmpty {
                    writing = false
                    return .none
                }
                return .some(schedule)
            }
            switch next {
            case .none: return
            case .some(.none): continue
            case .some(.some(let schedule)):
                schedule { write in self.drain(write) }
                return
            }
        }
    }
}
