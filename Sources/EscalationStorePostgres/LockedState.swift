import EscalationStore
import Foundation

/// The store's mutable state: background tasks, listeners, counters.
final class LockedState: @unchecked Sendable {
    struct Values {
        var tasks: [Task<Void, Never>] = []
        var listeners: [UUID: AsyncStream<Void>.Continuation] = [:]
        var reloadListeners: [UUID: AsyncStream<Void>.Continuation] = [:]
        var counters = CoordinationCounters()
        var listening = false
    }

    private let lock = NSLock()
    private var values = Values()

    func withLock<T>(_ body: (inout Values) -> T) -> T { lock.withLock { body(&values) } }
}
