import EscalationCore
import EscalationEngine
import EscalationStore
import EscalationStorePostgres
import Testing

/// Two processes (two stores with their own owner names) on one schema: claims are exclusive, leases expire on the
/// injected lease clock, a late result is refused, released leases pass at once, and commits notify.
@Suite(.enabled(if: TestDatabase.url != nil, TestDatabase.skipNote))
struct PostgresClaimTests {
    static let t0 = Instant(seconds: 1_795_000_000)

    static func incident(_ id: String) -> StoredIncident {
        let state = IncidentState(id: id, policy: "outage", version: "v1", title: "Disk full", dedupKey: nil, fields: [:], triggeredAt: t0)
        return StoredIncident(id: id, organisation: "acme", state: state, createdAt: t0, updatedAt: t0)
    }

    static func item(_ key: String) -> OutboxItem {
        OutboxItem(
            idempotencyKey: key, incident: "inc-1", organisation: "acme", effect: "{}", channel: "email", nextAttempt: t0,
            deadline: t0.adding(seconds: 600), createdAt: t0)
    }

    /// Two stores on a fresh schema, sharing a lease clock; `body` runs, then both close and the schema is dropped.
    func withTwo(_ body: (PostgresIncidentStore, PostgresIncidentStore, LeaseClock) async throws -> Void) async throws {
        let schema = TestDatabase.schema()
        let clock = LeaseClock()
        let a = try await TestDatabase.store(schema: schema, owner: "a", clock: clock)
        let b = try await TestDatabase.store(schema: schema, owner: "b", clock: clock)
        var failure: (any Error)?
        do { try await body(a, b, clock) } catch { failure = error }
        await TestDatabase.drop(schema, with: a)
        await a.shutdown()
        await b.shutdown()
        if let failure { throw failure }
    }

    @Test("a due timer is claimed by one process; another takes it over once the lease expires")
    func timerLease() async throws {
        try await withTwo { a, b, clock in
            let timer = StoredTimer(id: "inc-1/t1", incident: "inc-1", at: Self.t0)
            try await a.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [timer], removeTimers: [], outbox: []))
            #expect(try await a.claimDueTimers(now: Self.t0.adding(seconds: -1), limit: 10) == [])
            #expect(try await a.claimDueTimers(now: Self.t0, limit: 10) == [timer])
            #expect(try await b.claimDueTimers(now: Self.t0, limit: 10) == [])
            #expect(try await b.nextTimerDue() == nil)
            clock.advance(Double(a.leaseSeconds) + 1)
            #expect(try await b.nextTimerDue() == Self.t0)
            #expect(try await b.claimDueTimers(now: Self.t0, limit: 10) == [timer])
            #expect(b.coordinationCounters().timerTakeovers == 1)
            #expect(a.coordinationCounters().timerClaims == 1)
            // The commit of the timer's transition removes it.
            try await b.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [], removeTimers: [timer.id], outbox: []))
            clock.advance(Double(a.leaseSeconds) + 1)
            #expect(try await a.claimDueTimers(now: Self.t0, limit: 10) == [])
        }
    }

    @Test("a delivery left sending by a dead process is taken over after its lease, and the late result is refused")
    func deliveryLease() async throws {
        try await withTwo { a, b, clock in
            try await a.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: [Self.item("k1")]))
            let claimed = try await a.claimDeliveries(now: Self.t0, limit: 10)
            #expect(claimed.map(\.idempotencyKey) == ["k1"])
            #expect(try await b.claimDeliveries(now: Self.t0, limit: 10) == [])
            #expect(try await b.takeOverDeliveries() == [])
            #expect(try await b.interruptedDeliveries() == [], "another live process's sends are not interrupted")
            // The heartbeat renews a live process's lease.
            clock.advance(Double(a.leaseSeconds) - 1)
            try await a.renewLeases()
            clock.advance(2)
            #expect(try await b.takeOverDeliveries() == [])
            clock.advance(Double(a.leaseSeconds))
            let taken = try await b.takeOverDeliveries()
            #expect(taken.map(\.idempotencyKey) == ["k1"])
            #expect(b.coordinationCounters().deliveryTakeovers == 1)
            var late = claimed[0]
            late.status = .delivered
            await #expect(throws: LeaseLost.self) { try await a.updateDelivery(late, log: []) }
            #expect(a.coordinationCounters().leaseLosses == 1)
            var failed = taken[0]
            failed.status = .failed
            try await b.updateDelivery(failed, log: [])
            #expect(try await a.deliveries(incident: "inc-1").map(\.status) == [.failed])
        }
    }

    @Test("released leases pass to another process at once")
    func release() async throws {
        try await withTwo { a, b, _ in
            let timer = StoredTimer(id: "inc-1/t1", incident: "inc-1", at: Self.t0)
            try await a.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [timer], removeTimers: [], outbox: [Self.item("k1")]))
            #expect(try await a.claimDueTimers(now: Self.t0, limit: 10).count == 1)
            #expect(try await a.claimDeliveries(now: Self.t0, limit: 10).count == 1)
            try await a.releaseLeases()
            #expect(try await b.claimDueTimers(now: Self.t0, limit: 10) == [timer])
            #expect(try await b.takeOverDeliveries().map(\.idempotencyKey) == ["k1"])
        }
    }

    @Test("one key is held by one process at a time, across stores")
    func exclusive() async throws {
        try await withTwo { a, b, _ in
            let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await a.exclusively(["incident/inc-1"], isolation: nil) {
                    enteredSignal.yield()
                    for await _ in release { break }
                    try await a.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: []))
                }
            }
            for await _ in entered { break }
            let waiter = Task {
                try await b.exclusively(["incident/inc-1"], isolation: nil) { try await b.incident(id: "inc-1")?.id }
            }
            // The waiter is blocked on the advisory lock (seen in pg_locks), not on time.
            while try await a.waitingAdvisoryLocks() == 0 { await Task.yield() }
            releaseSignal.yield()
            try await holder.value
            #expect(try await waiter.value == "inc-1", "the waiter reads what the holder committed")
        }
    }

    @Test("an error in the body rolls the transaction back and passes through unchanged")
    func rollback() async throws {
        struct Refused: Error {}
        try await withTwo { a, _, _ in
            await #expect(throws: Refused.self) {
                try await a.exclusively(["incident/inc-1"], isolation: nil) {
                    try await a.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: []))
                    throw Refused()
                }
            }
            let found = try await a.incident(id: "inc-1")
            #expect(found == nil)
        }
    }

    @Test("a commit that queues work wakes the other process")
    func notification() async throws {
        try await withTwo { a, b, _ in
            let wakeups = b.workNotifications()
            var iterator = wakeups.makeAsyncIterator()
            _ = await iterator.next()  // the listener's first wake-up, once it listens
            try await a.commit(StoreChange(incident: Self.incident("inc-1"), log: [], addTimers: [], removeTimers: [], outbox: [Self.item("k1")]))
            _ = await iterator.next()
            #expect(b.coordinationCounters().notifications >= 1)
        }
    }

    @Test("a policy reload announced by one process reaches the other, with the versions it runs")
    func reloadAnnouncement() async throws {
        try await withTwo { a, b, _ in
            // The listener's first wake-up shows it listens (the stream is made first, so it gets that wake-up).
            var wakeups = b.workNotifications().makeAsyncIterator()
            let announcements = b.policyAnnouncements()
            var iterator = announcements.makeAsyncIterator()
            _ = await wakeups.next()
            try await a.announcePolicies(["acme": "outage@v2"])
            _ = await iterator.next()
            let announced = try await b.announcedPolicies()
            #expect(announced["acme"]?.versions == "outage@v2")
            #expect(announced["acme"]?.owner == "a")
        }
    }
}
