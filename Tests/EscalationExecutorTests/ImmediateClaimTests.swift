import EscalationChannel
import EscalationCore
import EscalationPolicy
import EscalationStore
import EscalationTesting
import Foundation
import Testing

@testable import EscalationExecutor

/// An in-memory store that keeps every change committed to it, and counts the items claims returned and the reads of pending events.
actor CommitRecordingStore: IncidentStore {
    let inner: any IncidentStore
    /// The changes committed, in order.
    private(set) var commits: [StoreChange] = []
    /// How many items the claims returned in all.
    private(set) var claimed = 0
    /// How many times pending (threshold or change) events were read.
    private(set) var pendingReads = 0

    init(_ inner: any IncidentStore = InMemoryIncidentStore()) { self.inner = inner }

    /// The statuses of the outbox items of every commit, in order.
    var committedStatuses: [[OutboxItem.Status]] { commits.map { $0.outbox.map(\.status) } }

    func commit(_ change: StoreChange) async throws {
        try await inner.commit(change)
        commits.append(change)
    }
    func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] {
        let items = try await inner.claimDeliveries(now: now, budget: budget)
        claimed += items.count
        return items
    }
    func tasks(incident: String) async throws -> [StoredTask] { try await inner.tasks(incident: incident) }
    func policySnapshot(organisation: String, version: String) async throws -> PolicySnapshot? {
        try await inner.policySnapshot(organisation: organisation, version: version)
    }
    func incident(id: String) async throws -> StoredIncident? { try await inner.incident(id: id) }
    func openIncident(organisation: String, dedupKey: String) async throws -> StoredIncident? {
        try await inner.openIncident(organisation: organisation, dedupKey: dedupKey)
    }
    func incidents(_ query: IncidentQuery) async throws -> IncidentPage { try await inner.incidents(query) }
    func openIncidentCount() async throws -> Int { try await inner.openIncidentCount() }
    func log(incident: String) async throws -> [EventLogEntry] { try await inner.log(incident: incident) }
    func timers() async throws -> [StoredTimer] { try await inner.timers() }
    func removeTimer(id: String) async throws { try await inner.removeTimer(id: id) }
    func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? { try await inner.nextDeliveryDue(excluding: full) }
    func interruptedDeliveries() async throws -> [OutboxItem] { try await inner.interruptedDeliveries() }
    func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws { try await inner.updateDelivery(item, log: log) }
    func deliveries(incident: String?) async throws -> [OutboxItem] { try await inner.deliveries(incident: incident) }
    func append(_ entries: [EventLogEntry]) async throws { try await inner.append(entries) }
    func addPendingEvent(_ event: PendingEvent) async throws { try await inner.addPendingEvent(event) }
    func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] {
        pendingReads += 1
        return try await inner.pendingEvents(key, since: since)
    }
}

/// With the served loop running, a delivery that can start at once is claimed (`sending`) in its transition's own
/// transaction and started right after the commit: one transaction fewer per page. What cannot start at once
/// (no slot, the contact's rate limit, no loop) is committed `pending` for the loop, as before, and a crash after
/// the commit leaves the claimed page exactly as a crash after the loop's own claim does.
@Suite("Deliveries claimed with their transition", .timeLimit(.minutes(1)))
struct ImmediateClaimTests {
    /// An executor over `store` with the isolation suite's policies (alice's `sms` sends hang for two hours).
    static func executor(_ store: any IncidentStore, clock: ManualClock, log: RecordingChannel.Log, options: Executor.Options = Executor.Options()) throws
        -> Executor
    {
        Executor(
            store: store,
            policies: PolicySet([PolicyLoader().load(files: [(path: "acme.yaml", text: ChannelIsolationTests.yaml)]).organisation]),
            registry: try ChannelRegistry([RecordingChannel.self, SlowChannel.self]),
            environment: log.environment().adding(SlowChannel.Slowness(seconds: 7_200, clock: clock)), clock: clock, options: options)
    }

    /// An executor over `store` with its served loop running (the caller cancels `loop`).
    static func running(_ store: any IncidentStore, clock: ManualClock, log: RecordingChannel.Log, options: Executor.Options = Executor.Options())
        async throws -> (executor: Executor, loop: Task<Bool, Never>)
    {
        let executor = try executor(store, clock: clock, log: log, options: options)
        let loop = Task { await executor.run() }
        await started(executor)
        return (executor, loop)
    }

    /// Waits until the served loop is running.
    static func started(_ executor: Executor) async {
        while await !executor.running { await Task.yield() }
    }

    @Test("with the loop running, a page is committed sending with its trigger, sent once and never claimed again")
    func claimedWithTheTrigger() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = CommitRecordingStore()
        let (executor, loop) = try await Self.running(store, clock: clock, log: log)
        defer { loop.cancel() }
        try await ChannelIsolationTests.trigger(executor, "fast")
        #expect(await store.committedStatuses == [[.sending]])
        #expect(await log.waitForCalls(1).map(\.address) == ["bob@example.org"])
        #expect(await executor.drain(seconds: 100_000) == 0)
        #expect(try await executor.deliveries(nil).map(\.status) == [.delivered])
        #expect(await store.claimed == 0, "the loop claimed nothing: the page was never pending")
        #expect(try await executor.dispatchDue() == 0)
        #expect(log.all.count == 1)
    }

    @Test("without the loop a page is committed pending, and the claim takes it as before")
    func pendingWithoutTheLoop() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = CommitRecordingStore()
        let executor = try Self.executor(store, clock: clock, log: log)
        try await ChannelIsolationTests.trigger(executor, "fast")
        #expect(await store.committedStatuses == [[.pending]])
        #expect(try await executor.dispatchDue() == 1)
        #expect(await store.claimed == 1)
        #expect(log.all.count == 1)
    }

    @Test("a channel without a free slot: its pages are committed pending and wait for the loop")
    func noSlot() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = CommitRecordingStore()
        var options = Executor.Options()
        options.maxInFlight = 4
        options.maxInFlightPerChannel = 2
        let (executor, loop) = try await Self.running(store, clock: clock, log: log, options: options)
        defer { loop.cancel() }
        try await ChannelIsolationTests.trigger(executor, "hung", times: 3)
        #expect(await store.committedStatuses == [[.sending], [.sending], [.pending]])
        #expect(await executor.inFlight == 2)
        #expect(await executor.inFlightByChannel == [DeliveryChannel(organisation: "acme", channel: "sms"): 2])
        let statuses = try await executor.deliveries(nil).map(\.status)
        #expect(statuses == [.sending, .sending, .pending], "\(statuses)")
        loop.cancel()
        _ = await loop.value
        #expect(await executor.cancelInFlight() == 2)
        #expect(await executor.drain(seconds: 100_000) == 0)
    }

    @Test("a contact at the rate limit: the page is committed pending, and the limit counts it once, when the loop takes it")
    func rateLimited() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = CommitRecordingStore()
        var options = Executor.Options()
        options.perContactPerMinute = 1
        let (executor, loop) = try await Self.running(store, clock: clock, log: log, options: options)
        defer { loop.cancel() }
        try await ChannelIsolationTests.trigger(executor, "fast", times: 2)
        #expect(await store.committedStatuses == [[.sending], [.pending]])
        #expect(await log.waitForCalls(1).count == 1)
        loop.cancel()
        _ = await loop.value
        #expect(await executor.drain(seconds: 100_000) == 0)
        // A minute on, the limit has room again: the waiting page goes (the loop's own throttle moved it a minute on).
        clock.advance(seconds: 61)
        #expect(try await executor.dispatchDue() == 1)
        #expect(log.all.count == 2)
    }

    @Test("a commit that fails claims nothing: the slot and the rate-limit count are given back, and nothing is sent")
    func failedCommit() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Harness.start)
        let store = FaultyStore()
        var options = Executor.Options()
        options.perContactPerMinute = 1
        let (executor, loop) = try await Self.running(store, clock: clock, log: log, options: options)
        defer { loop.cancel() }
        await store.set(failWrites: true)
        await #expect(throws: FaultyStore.DiskFull.self) { try await ChannelIsolationTests.trigger(executor, "fast") }
        #expect(await executor.inFlight == 0)
        #expect(await executor.inFlightByChannel.isEmpty)
        #expect(log.all.isEmpty)
        await store.set(failWrites: false)
        // The failed trigger did not use bob's one page a minute.
        try await ChannelIsolationTests.trigger(executor, "fast")
        #expect(await log.waitForCalls(1).map(\.address) == ["bob@example.org"])
    }

    @Test("a crash after the commit: the page claimed with its trigger is found sending and settled like the loop's own claim")
    func crashAfterTheCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(Harness.start)
        let log = RecordingChannel.Log()
        var id = ""
        do {
            let executor = try Self.executor(try SQLiteIncidentStore(path: path), clock: clock, log: log)
            let loop = Task { await executor.run() }
            await Self.started(executor)
            id = try await executor.trigger(organisation: "acme", policy: "hung", title: "x", fields: [:], dedupKey: nil).incident.id
            // The send hangs; the process "dies" here: the loop stops and the send is never recorded.
            loop.cancel()
            _ = await loop.value
        }
        let restarted = try Self.executor(try SQLiteIncidentStore(path: path), clock: clock, log: log)
        #expect(try await restarted.recover() == 1)
        let items = try await restarted.deliveries(id)
        #expect(items.map(\.status) == [.failed])
        #expect(items.first?.detail?.contains("outcome unknown, so not resent") == true, "\(items.map(\.detail))")
        #expect(try await restarted.dispatchDue() == 0)
    }
}
