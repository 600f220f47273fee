import EscalationCore
import EscalationStore
import Foundation

/// An in-memory store whose commits wait at a gate until `together` of them are waiting (or, so that a caller that
/// commits one at a time is seen failing rather than hanging, until `fallbackSeconds` of real time have passed: long
/// enough that concurrent callers all reach the gate on a loaded machine, where 2 s once opened it early, and a test
/// runner whose pool is busy with other tests can resume a caller minutes late); then
/// all go on, in an order drawn from `generator`, and those `fails` picks fail. It records how many commits were ever
/// waiting at once: triggers that can share a group commit reach the store together.
actor GatedStore: IncidentStore {
    /// The error of a commit the gate makes fail.
    struct Refused: Error {}

    let inner = InMemoryIncidentStore()
    /// How many commits open the gate.
    var together: Int
    /// Picks the order the waiting commits go on in, and which fail.
    var generator: SplitMix64
    /// Whether a commit let through fails (drawn per commit).
    var fails: @Sendable (inout SplitMix64) -> Bool = { _ in false }
    let fallbackSeconds: Double
    private var waiting: [CheckedContinuation<Bool, Never>] = []
    private var round = 0
    /// The most commits that waited at the gate at once (since `set`).
    private(set) var mostTogether = 0
    /// How many commits carried a policy snapshot.
    private(set) var snapshots = 0
    /// How many times the open incident with a dedup key was read.
    private(set) var openIncidentReads = 0
    /// Whether listings (`incidents(_:)`) are held after they read the store, until `releaseListings`.
    private var holdingListings = false
    /// How many listings were held.
    private(set) var listingsHeld = 0
    private var listingWaiters: [CheckedContinuation<Void, Never>] = []
    /// Whether delivery results are held before they are saved, until `releaseResults`.
    private var holdingResults = false
    /// How many results were held.
    private(set) var resultsHeld = 0
    private var resultWaiters: [CheckedContinuation<Void, Never>] = []

    /// Holds the listings from now on (each returns what it read before the hold).
    func holdListings() { holdingListings = true }

    /// Lets the held listings return, and holds no more.
    func releaseListings() {
        holdingListings = false
        for waiter in listingWaiters { waiter.resume() }
        listingWaiters = []
    }

    init(together: Int, seed: UInt64 = 1, fallbackSeconds: Double = 120) {
        self.together = together
        self.generator = SplitMix64(seed: seed)
        self.fallbackSeconds = fallbackSeconds
    }

    /// Sets how many commits open the gate next, and which fail; counts `mostTogether` afresh.
    func set(together: Int, fails: @escaping @Sendable (inout SplitMix64) -> Bool) {
        self.together = together
        self.fails = fails
        mostTogether = 0
    }

    func commit(_ change: StoreChange) async throws {
        if change.snapshot != nil { snapshots += 1 }
        let fail = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            waiting.append(continuation)
            mostTogether = max(mostTogether, waiting.count)
            if waiting.count >= together {
                open()
            } else if waiting.count == 1 {
                let round = round
                let seconds = fallbackSeconds
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                    await self.open(round: round)
                }
            }
        }
        if fail { throw Refused() }
        try await inner.commit(change)
    }

    private func open(round expected: Int? = nil) {
        if let expected, expected != round { return }
        round += 1
        var released = waiting
        waiting = []
        released.shuffle(using: &generator)
        for continuation in released { continuation.resume(returning: fails(&generator)) }
    }

    func tasks(incident: String) async throws -> [StoredTask] { try await inner.tasks(incident: incident) }
    func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await inner.policySnapshot(organisation: organisation, version: version)
    }
    func incident(id: String) async throws -> StoredIncident? { try await inner.incident(id: id) }
    func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        openIncidentReads += 1
        return try await inner.openIncident(organisation: organisation, dedupKey: dedupKey)
    }
    func incidents(_ query: IncidentQuery) async throws -> IncidentPage {
        // Read first, then held: a held listing returns what the store held before the hold.
        let page = try await inner.incidents(query)
        if holdingListings {
            listingsHeld += 1
            await withCheckedContinuation { listingWaiters.append($0) }
        }
        return page
    }
    func openIncidentCount() async throws -> Int { try await inner.openIncidentCount() }
    func log(incident: String) async throws -> [EventLogEntry] { try await inner.log(incident: incident) }
    func timers() async throws -> [StoredTimer] { try await inner.timers() }
    func removeTimer(id: String) async throws { try await inner.removeTimer(id: id) }
    func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] { try await inner.claimDeliveries(now: now, budget: budget) }
    func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? { try await inner.nextDeliveryDue(excluding: full) }
    func interruptedDeliveries() async throws -> [OutboxItem] { try await inner.interruptedDeliveries() }
    func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
        if holdingResults {
            resultsHeld += 1
            await withCheckedContinuation { resultWaiters.append($0) }
        }
        try await inner.updateDelivery(item, log: log)
    }

    /// Holds the delivery results from now on (each is saved once released).
    func holdResults() { holdingResults = true }

    /// Lets the held results be saved, and holds no more.
    func releaseResults() {
        holdingResults = false
        for waiter in resultWaiters { waiter.resume() }
        resultWaiters = []
    }
    func deliveries(incident: String?) async throws -> [OutboxItem] { try await inner.deliveries(incident: incident) }
    func append(_ entries: [EventLogEntry]) async throws { try await inner.append(entries) }
    func addPendingEvent(_ event: PendingEvent) async throws { try await inner.addPendingEvent(event) }
    func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] { try await inner.pendingEvents(key, since: since) }
}
