import EscalationCore
import EscalationStore
import Foundation

extension Executor {
    /// Fires due timers claimed from a shared store (at most `limit`): each under its incident's cross-process lock,
    /// leaving the store in the transaction of its transition. A timer whose firing fails stays claimed until its
    /// lease expires, then any process (this one too) claims it again.
    func fireClaimedTimers(_ shared: any SharedIncidentStore, limit: Int) async throws -> Int {
        let claimed = try await shared.claimDueTimers(now: clock.now(), limit: limit == .max ? 500 : limit)
        claimedTimersLeft = claimed.count >= limit
        var fired = 0
        for timer in claimed {
            do {
                if try await fire(timer) { fired += 1 }
            } catch {
                logger.error(
                    "timer failed; another claim retries it when its lease expires",
                    metadata: ["timer": "\(timer.id)", "incident": "\(timer.incident)", "error": "\(error)"])
            }
        }
        return fired
    }

    /// Looks (at most every half lease) for deliveries a dead process left sending, and handles them as interrupted:
    /// never resent blindly (the send-deadline rule), unless the plugin is idempotent.
    func takeOverExpired(_ shared: any SharedIncidentStore) async throws {
        let now = clock.preciseNow()
        if let last = lastTakeover, now - last < Double(max(1, shared.leaseSeconds / 2)) { return }
        lastTakeover = now
        let taken = try await shared.takeOverDeliveries()
        guard !taken.isEmpty else { return }
        logger.warning("took over \(taken.count) delivery(ies) from a process whose lease expired")
        try await settleInterrupted(taken)
    }

    /// Gives up this process's claims on a shared store at once (graceful shutdown, after `drain`); nothing otherwise.
    public func releaseLeases() async throws { try await shared?.releaseLeases() }

    /// The `/metrics` lines of a shared store's claims (empty for a store of one process).
    public func coordinationMetrics() -> String {
        guard let shared else { return "" }
        return shared.coordinationCounters().prometheus(owner: shared.owner)
    }
}

extension Executor {
    /// The running policy versions per organisation, as `policy@version` pairs joined by commas (sorted): what
    /// processes sharing a store compare to tell whether they run the same policies.
    public var runningVersions: [String: String] {
        var result: [String: String] = [:]
        for organisation in versions.organisations {
            result[organisation] = versions.current(organisation)?.policies.map { "\($0.id)@\($0.version)" }.sorted().joined(separator: ",")
        }
        return result
    }
}
