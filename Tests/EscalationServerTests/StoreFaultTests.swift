import Crypto
import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationPipeline
import EscalationServer
import EscalationStore
import EscalationTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A store that cannot write (disk full, read-only file) is a 503 with a JSON error and `Retry-After`, never an
/// empty 500; `/readyz` fails meanwhile and `/healthz` says why; once the store writes again everything works.
@Suite("HTTP API: store faults")
struct StoreFaultTests {
    /// An in-memory store whose writes fail while `broken` is set.
    actor BreakableStore: IncidentStore {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "disk I/O error: database or disk is full" }
        }

        let inner = InMemoryIncidentStore()
        var broken = false
        func set(broken: Bool) { self.broken = broken }
        func check() throws { if broken { throw DiskFull() } }

        func commit(_ change: StoreChange) async throws {
            try check()
            try await inner.commit(change)
        }
        func probeWrite() async throws { try check() }
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
        func claimDeliveries(now: Instant, budget: DeliveryBudget) async throws -> [OutboxItem] {
            try await inner.claimDeliveries(now: now, budget: budget)
        }
        func nextDeliveryDue(excluding full: Set<DeliveryChannel>) async throws -> Instant? { try await inner.nextDeliveryDue(excluding: full) }
        func interruptedDeliveries() async throws -> [OutboxItem] { try await inner.interruptedDeliveries() }
        func updateDelivery(_ item: OutboxItem, log: [EventLogEntry]) async throws {
            try check()
            try await inner.updateDelivery(item, log: log)
        }
        func deliveries(incident: String?) async throws -> [OutboxItem] { try await inner.deliveries(incident: incident) }
        func append(_ entries: [EventLogEntry]) async throws {
            try check()
            try await inner.append(entries)
        }
        func addPendingEvent(_ event: PendingEvent) async throws {
            try check()
            try await inner.addPendingEvent(event)
        }
        func pendingEvents(_ key: PendingEvent.Key, since: Instant) async throws -> [PendingEvent] { try await inner.pendingEvents(key, since: since) }
    }

    @Test("a trigger while the disk is full is a 503 with the cause and Retry-After; readyz fails, healthz says why; then it recovers")
    func diskFull() async throws {
        let store = BreakableStore()
        let executor = Executor(
            store: store, policies: PolicySet(graphs: [PolicyPipeline().run(files: [(path: "acme.yaml", text: APITests.yaml)]).graph]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(),
            clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let lines = InMemoryLogHandler.Lines()
        let app = Application(router: EscalationAPI(executor: executor, configuration: configuration, logger: lines.logger()) { _ in nil }.router())
        try await app.test(.router) { client in
            await store.set(broken: true)
            try await client.execute(
                uri: "/v1/incidents", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)
            ) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                #expect((APITests.json(response)["error"] as? String)?.contains("disk is full") == true)
            }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect((APITests.json(response)["store"] as? String)?.hasPrefix("failing") == true)
            }
            #expect(lines.all.contains { $0.level == .error && $0.metadata["error"]?.contains("disk is full") == true })
            #expect(try await store.incidents(organisation: "acme", limit: 10).isEmpty)
            await store.set(broken: false)
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/incidents", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)
            ) { #expect($0.status == .created) }
        }
    }
}
