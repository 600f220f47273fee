import Foundation

/// A transition waiting to be committed, with its state already encoded.
struct PendingCommit: Sendable {
    /// The rows to write.
    var change: StoreChange
    /// The incident's state as JSON.
    var stateJSON: String
}

/// Group commit: callers submit items; one writer at a time takes everything waiting (at most `maxBatch`) into one
/// `write` (for the SQLite store: one transaction, one fsync), so items that arrive while a batch is being written
/// share the next one. There is no added wait: an item arriving alone is written at once. Each caller returns when
/// the batch holding its item is written, or with its own item's error (`write` returns them by index), or with
/// the batch's error when the whole write failed.
final class CommitBatcher<Item: Sendable>: @unchecked Sendable {
    /// Writes a batch; the errors of the items that failed, by their index in the batch.
    typealias Write = @Sendable ([Item]) async throws -> [Int: any Error]

    /// At most this many items per write.
    let maxBatch: Int
    let lock = NSLock()
    private var waiting: [(Item, CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    private var write: Write?
    private var batches = 0

    init(maxBatch: Int = 256) { self.maxBatch = maxBatch }

    /// Sets the writer (once, before the first submit).
    func attach(_ write: @escaping Write) { lock.withLock { self.write = write } }

    /// Items waiting for a write (read under `lock`).
    var pendingCount: Int { waiting.count }

    /// How many writes ran so far.
    var writes: Int { lock.withLock { batches } }

    /// Waits until the item is written (or has failed).
    func submit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start: Bool = lock.withLock {
                waiting.append((item, continuation))
                if writing { return false }
                writing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Writes batches until nothing waits.
    private func drain() async {
        while true {
            let (batch, write): ([(Item, CheckedContinuation<Void, any Error>)], Write?) = lock.withLock {
                let taken = Array(waiting.prefix(maxBatch))
                waiting.removeFirst(taken.count)
                if taken.isEmpty { writing = false } else { batches += 1 }
                return (taken, self.write)
            }
            guard !batch.isEmpty else { return }
            guard let write else {
                for (_, continuation) in batch { continuation.resume(throwing: CancellationError()) }
                continue
            }
            do {
                let failures = try await write(batch.map(\.0))
                for (index, (_, continuation)) in batch.enumerated() {
                    if let error = failures[index] { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            } catch {
                // The write itself failed (disk full, read-only): none of the batch was written.
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
    }
}
