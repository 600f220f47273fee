import Crypto
import EscalationChannel
import EscalationCore
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

/// `serve` enforces a policy's `threshold`: events before the count is reached are recorded and answered 202
/// "waiting for N more within W"; the event that reaches it opens the incident.
@Suite("HTTP API: thresholds")
struct ThresholdAPITests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
        channels:
          email: { plugin: recording }
        policies:
          reports:
            name: Customer reports
            threshold: { count: 3, within: 30m, unless: { source: monitoring } }
            layers: [{ id: first, notify: [{ contact: alice }], via: [email] }]
        """

    @Test("events before the count is reached answer 202 waiting and open nothing; the third within 30m opens; 'unless' opens at once")
    func threshold() async throws {
        let clock = ManualClock(Instant(seconds: 1_795_000_000))
        let store = InMemoryIncidentStore()
        let executor = Executor(
            store: store, policies: PolicySet(graphs: [PolicyPipeline().run(files: [(path: "acme.yaml", text: Self.yaml)]).graph]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(), clock: clock)
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let app = Application(router: EscalationAPI(executor: executor, configuration: configuration) { _ in nil }.router())
        let customer = #"{"title": "Donation form fails", "fields": {"source": "customer"}}"#
        try await app.test(.router) { client in
            func post(_ body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(uri: "/v1/incidents", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: body)) {
                    ($0.status, APITests.json($0))
                }
            }
            let first = try await post(customer)
            #expect(first.0 == .accepted)
            #expect(first.1["status"] as? String == "waiting")
            #expect(first.1["message"] as? String == "waiting for 2 more within 30m")
            clock.advance(seconds: 600)
            let second = try await post(customer)
            #expect(second.1["message"] as? String == "waiting for 1 more within 30m")
            #expect(try await store.incidents(organisation: "acme", limit: 10).isEmpty)
            let waiting = try await store.pendingEvents(.init(organisation: "acme", policy: "reports"), since: Instant(seconds: 0))
            #expect(waiting.map(\.fields["source"]) == ["customer", "customer"])
            clock.advance(seconds: 600)
            let third = try await post(customer)
            #expect(third.0 == .created)
            #expect(try await store.incidents(organisation: "acme", limit: 10).count == 1)
            // The opening consumed the counted events: the next report starts a new count.
            let fourth = try await post(customer)
            #expect(fourth.1["message"] as? String == "waiting for 2 more within 30m")
            let monitoring = try await post(#"{"title": "Checkout 500s", "fields": {"source": "monitoring"}}"#)
            #expect(monitoring.0 == .created)
        }
    }
}
