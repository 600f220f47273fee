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
                        for try await notification in notifications {
                            if notification.payload.hasPrefix("reload:") {
                                if notification.payload != "reload:" + self.owner { self.announceReload() }
                                continue
                            }
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

extension PostgresIncidentStore {
    /// Records the policy versions this process runs (per organisation) as the cluster's, and tells the other
    /// processes, which reload their policies (`policyAnnouncements()`).
    public func announcePolicies(_ versions: [String: String]) async throws {
        let (owner, now) = (owner, leaseClock())
        try await write("announcing the running policies") { connection in
            for (organisation, fingerprint) in versions {
                try await connection.query(
                    """
                    INSERT INTO running_policies (organisation, versions, owner, at) VALUES (\(organisation), \(fingerprint), \(owner), \(now))
                    ON CONFLICT (organisation) DO UPDATE SET versions = excluded.versions, owner = excluded.owner, at = excluded.at
                    """, logger: logger)
            }
            _ = try await connection.query("SELECT pg_notify(\(channel), \("reload:" + owner))", logger: logger).collect()
        }
    }

    /// The policy versions last announced per organisation, and by which process.
    public func announcedPolicies() async throws -> [String: (versions: String, owner: String)] {
        try await read("reading the running policies") { connection in
            var result: [String: (versions: String, owner: String)] = [:]
            for row in try await connection.query("SELECT organisation, versions, owner FROM running_policies", logger: logger).collect() {
                let (organisation, versions, owner) = try row.decode((String, String, String).self)
                result[organisation] = (versions, owner)
            }
            return result
        }
    }

    /// Yields each time another process announces a policy reload; finishes at `shutdown()`. (Starts the listener.)
    public func policyAnnouncements() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        state.withLock { $0.reloadListeners[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { $0.reloadListeners[id] = nil } }
        // The LISTEN connection is shared with the work notifications.
        _ = workNotifications()
        return stream
    }

    func announceReload() {
        for continuation in state.withLock({ Array($0.reloadListeners.values) }) { continuation.yield() }
    }
}
