import EscalationCore

/// A store several executor processes share (PostgreSQL): events for one key applied one at a time across processes,
/// due timers and interrupted deliveries claimed with a lease (a dead process's claims expire and another takes them),
/// and a wake-up when another process commits work. The executor uses these when its store is one.
public protocol SharedIncidentStore: IncidentStore {
    /// This process's name on its claims (`claimed_by`).
    var owner: String { get }
    /// Seconds a claim lasts unless renewed: the bound on how long a dead process's work waits for another.
    var leaseSeconds: Int { get }
    /// Runs `body` holding every key across processes, in one database transaction that the store calls made inside
    /// `body` join (so the read, the engine step and the commit of a transition are atomic); nested calls add keys.
    func exclusively<T: Sendable>(_ keys: [String], isolation: isolated (any Actor)?, _ body: () async throws -> T) async throws -> T
    /// Claims up to `limit` timers due at `now` that no live claim holds, leased to this process, earliest first.
    func claimDueTimers(now: Instant, limit: Int) async throws -> [StoredTimer]
    /// The earliest timer that no live claim holds, if any.
    func nextTimerDue() async throws -> Instant?
    /// Claims the deliveries left `sending` by a process whose lease expired (they are handled as interrupted).
    func takeOverDeliveries() async throws -> [OutboxItem]
    /// Gives up this process's claims at once (graceful shutdown), so other processes take its work without waiting.
    func releaseLeases() async throws
    /// Yields each time a process commits new timers or deliveries; finishes when the store closes.
    func workNotifications() -> AsyncStream<Void>
    /// Claims, takeovers and lease losses of this process so far.
    func coordinationCounters() -> CoordinationCounters
}
