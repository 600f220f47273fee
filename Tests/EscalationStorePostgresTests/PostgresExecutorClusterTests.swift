import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPipeline
import EscalationStore
import EscalationStorePostgres
import EscalationTesting
import Logging
import Testing

/// Two executors (two processes) on one database: a dedup key opens one incident, each layer pages once whoever
/// fires the timer and dispatches, and a dead process's send in flight is taken over as interrupted (not resent
/// blindly, the rules of `Executor.recover()`) once its lease expires.
@Suite(.enabled(if: TestDatabase.url != nil, TestDatabase.skipNote))
struct PostgresExecutorClusterTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          pat: { name: Pat, addresses: { phone: "+1-555-0101", email: pat@example.org } }
        channels:
          phone: { plugin: recording }
          email: { plugin: recording }
        templates:
          page: { body: "{{ incident.title }}" }
        policies:
          outage:
            name: Outage
            layers:
              - { id: first, notify: [{ contact: pat }], via: [phone, email], template: page, timeout: 5m }
              - { id: second, notify: [{ contact: pat }], via: [phone, email], template: page }
        """

    static let start = Instant(seconds: 1_795_000_000)

    struct Cluster {
        let a: Executor
        let b: Executor
        let storeA: PostgresIncidentStore
        let storeB: PostgresIncidentStore
        let clock: ManualClock
        let leases: LeaseClock
        let log: RecordingChannel.Log
    }

    func withCluster(_ body: (Cluster) async throws -> Void) async throws {
        let schema = TestDatabase.schema()
        let leases = LeaseClock()
        let storeA = try await TestDatabase.store(schema: schema, owner: "a", clock: leases)
        let storeB = try await TestDatabase.store(schema: schema, owner: "b", clock: leases)
        let registry = try ChannelRegistry([RecordingChannel.self])
        let graph = PolicyPipeline(channels: registry).run(files: [(path: "acme.yaml", text: Self.yaml)]).graph
        let log = RecordingChannel.Log()
        let clock = ManualClock(Self.start)
        let quiet = Logger(label: "test.executor", factory: { _ in SwiftLogNoOpLogHandler() })
        func executor(_ store: PostgresIncidentStore) -> Executor {
            Executor(store: store, policies: PolicySet(graphs: [graph]), registry: registry, environment: log.environment(), clock: clock, logger: quiet)
        }
        let cluster = Cluster(a: executor(storeA), b: executor(storeB), storeA: storeA, storeB: storeB, clock: clock, leases: leases, log: log)
        var failure: (any Error)?
        do { try await body(cluster) } catch { failure = error }
        await TestDatabase.drop(schema, with: storeA)
        await storeA.shutdown()
        await storeB.shutdown()
        if let failure { throw failure }
    }

    @Test("one incident per dedup key and one page per layer, with both processes working at once")
    func oncePerLayer() async throws {
        try await withCluster { cluster in
            async let first = cluster.a.trigger(organisation: "acme", policy: nil, title: "Down", fields: [:], dedupKey: "db")
            async let second = cluster.b.trigger(organisation: "acme", policy: nil, title: "Down", fields: [:], dedupKey: "db")
            let (one, two) = try await (first, second)
            #expect(one.incident.id == two.incident.id)
            #expect([one.created, two.created].filter { $0 }.count == 1)
            async let sentA = cluster.a.dispatchDue()
            async let sentB = cluster.b.dispatchDue()
            #expect(try await sentA + sentB == 1)
            cluster.clock.advance(seconds: 300)
            async let firedA = cluster.a.fireDueTimers()
            async let firedB = cluster.b.fireDueTimers()
            #expect(try await firedA + firedB == 1)
            async let laterA = cluster.a.dispatchDue()
            async let laterB = cluster.b.dispatchDue()
            #expect(try await laterA + laterB == 1)
            let calls = cluster.log.all
            #expect(calls.map(\.channel) == ["phone", "phone"])
            #expect(Set(calls.map(\.message.idempotencyKey)).count == 2)
        }
    }

    @Test("a dead process's send is taken over after its lease as interrupted: never resent blindly")
    func takeover() async throws {
        try await withCluster { cluster in
            let id = try await cluster.a.trigger(organisation: "acme", policy: nil, title: "Down", fields: [:], dedupKey: nil).incident.id
            // Process a claims the phone delivery and dies before recording anything.
            let claimed = try await cluster.storeA.claimDeliveries(now: cluster.clock.now(), limit: 10)
            #expect(claimed.map(\.channel) == ["phone"])
            await cluster.storeA.shutdown()
            _ = try await cluster.b.serveTurn()
            _ = await cluster.b.drain(seconds: 60)
            #expect(cluster.log.all.isEmpty, "the lease is still live: nobody touches the send")
            cluster.leases.advance(Double(cluster.storeB.leaseSeconds) + 1)
            cluster.clock.advance(seconds: cluster.storeB.leaseSeconds + 1)
            _ = try await cluster.b.serveTurn()
            _ = await cluster.b.drain(seconds: 60)
            _ = try await cluster.b.serveTurn()
            _ = await cluster.b.drain(seconds: 60)
            // Its outcome is unknown (the plugin neither forwards the key nor stopped anything left running): it is
            // not resent, and no other channel is tried (that could page twice); the ladder goes on at its timeout.
            #expect(cluster.log.all.isEmpty, "the interrupted phone send is not resent, and the e-mail fallback is not tried")
            let statuses = try await cluster.b.deliveries(id).map { "\($0.channel):\($0.status.rawValue)" }
            #expect(statuses == ["phone:failed"])
            #expect(try await cluster.b.timeline(id).contains { $0.text.contains("outcome unknown") })
            #expect(cluster.storeB.coordinationCounters().deliveryTakeovers == 1)
        }
    }

    @Test("a timer a dead process had claimed fires on another once the lease expires, and pages once")
    func timerTakeover() async throws {
        try await withCluster { cluster in
            _ = try await cluster.a.trigger(organisation: "acme", policy: nil, title: "Down", fields: [:], dedupKey: nil)
            #expect(try await cluster.a.dispatchDue() == 1)
            cluster.clock.advance(seconds: 300)
            // Process a claims the due layer timer and dies before firing it.
            #expect(try await cluster.storeA.claimDueTimers(now: cluster.clock.now(), limit: 10).count == 1)
            await cluster.storeA.shutdown()
            #expect(try await cluster.b.fireDueTimers() == 0, "the claim is live: b leaves the timer alone")
            #expect(try await cluster.b.nextTimer() == nil)
            cluster.leases.advance(Double(cluster.storeB.leaseSeconds) + 1)
            #expect(try await cluster.b.nextTimer() == cluster.clock.now())
            #expect(try await cluster.b.fireDueTimers() == 1)
            #expect(try await cluster.b.dispatchDue() == 1)
            #expect(cluster.log.all.map(\.channel) == ["phone", "phone"])
            #expect(cluster.storeB.coordinationCounters().timerTakeovers == 1)
        }
    }
}
