import Foundation
import PostgresNIO

extension PostgresIncidentStore {
    /// Yields each time a commit (of any process) queues timers or deliveries, or a process releases its leases:
    /// one `LISTEN` connection per store, reconnected after a second when it drops. Finishes at `shutdown()`.
    public func workNotifications() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        let start = state.withLock { state in
            state.listeners[id] = continuation
            defer { state.listening = true }
            return !state.listening
        }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { $0.listeners[id] = nil } }
        if start {
            let task = Task { [weak self] () async -> Void in await self?.listen() }
            state.withLock { $0.tasks.append(task) }
        }
        return stream
    }

    func listen() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        // Work committed while the listener was down is found by the wake-up this causes.
                        self.wakeListeners()
                        for try await _ in notifications {
                            self.state.withLock { $0.counters.notifications += 1 }
                            self.wakeListeners()
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; reconnecting in 1s", metadata: ["error": "\(PostgresStoreError("listening", error).reason)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    func wakeListeners() {
        for continuation in state.withLock({ Array($0.listeners.values) }) { continuation.yield() }
    }
}
