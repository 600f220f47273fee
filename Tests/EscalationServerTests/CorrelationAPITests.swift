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

/// A policy that `correlate`s takes later events for its open incident as reports: `POST /v1/events` with the same
/// dedup key (or, with `key:`, the same field value) answers 202 "Report appended" with the incident, whose list grows.
@Suite("HTTP API: correlated reports")
struct CorrelationAPITests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
        channels:
          email: { plugin: recording }
        templates:
          linked: { body: "tickets {{ incident.customer_tickets }} ({{ incident.reports }} reports)" }
        policies:
          by-key:
            name: By dedup key
            match: { kind: ticket }
            fields:
              customer_tickets: { type: list }
            correlate: { append: [customer_tickets] }
            layers: [{ id: first, notify: [{ contact: alice }], via: [email], template: linked }]
            on:
              report:
                - notify: [{ contact: alice }]
                  via: [email]
                  template: linked
          by-product:
            name: By product
            match: { kind: outage }
            fields:
              product: { type: string, required: true }
              customer_tickets: { type: list }
            correlate: { key: product, append: [customer_tickets] }
            layers: [{ id: first, notify: [{ contact: alice }], via: [email], template: linked }]
        """

    static func app() throws -> (Application<RouterResponder<BasicRequestContext>>, InMemoryIncidentStore, ManualClock) {
        let clock = ManualClock(Instant(seconds: 1_795_000_000))
        let store = InMemoryIncidentStore()
        let executor = Executor(
            store: store, policies: PolicySet(graphs: [PolicyPipeline().run(files: [(path: "acme.yaml", text: Self.yaml)]).graph]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(), clock: clock)
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        return (Application(router: EscalationAPI(executor: executor, configuration: configuration) { _ in nil }.router()), store, clock)
    }

    static func event(_ dedup: String?, _ details: String) -> String {
        let key = dedup.map { #""dedup_key":"\#($0)","# } ?? ""
        return #"{"routing_key":"acme","event_action":"trigger",\#(key)"payload":{"summary":"Checkout fails","source":"support","severity":"error","custom_details":\#(details)}}"#
    }

    @Test("a later event with the dedup key of an open correlating incident is appended: 202, same incident, the list grows")
    func appendByDedupKey() async throws {
        let (app, store, _) = try Self.app()
        try await app.test(.router) { client in
            func post(_ body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(uri: "/v1/events", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: body)) {
                    ($0.status, APITests.json($0))
                }
            }
            let first = try await post(Self.event("checkout", #"{"kind":"ticket","customer_tickets":"CS-1"}"#))
            #expect(first.1["message"] as? String == "Event processed")
            let id = try #require(first.1["incident"] as? String)
            let second = try await post(Self.event("checkout", #"{"kind":"ticket","customer_tickets":"CS-2, CS-1"}"#))
            #expect(second.0 == .accepted)
            #expect(second.1["message"] as? String == "Report appended")
            #expect(second.1["incident"] as? String == id)
            let incident = try #require(try await store.incident(id: id))
            #expect(incident.state.fields["customer_tickets"] == "CS-1, CS-2")
            #expect(incident.state.reports == 2)
            let queued = try await store.deliveries(incident: id)
            #expect(queued.count == 2, "the layer's page and the on-report page")
            #expect(queued.last?.effect.contains("tickets CS-1, CS-2 (2 reports)") == true)
        }
    }

    @Test("with correlate key, events with the same field value join one incident whatever dedup key they carry")
    func appendByField() async throws {
        let (app, store, _) = try Self.app()
        try await app.test(.router) { client in
            func post(_ body: String) async throws -> [String: Any] {
                try await client.execute(uri: "/v1/events", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: body)) {
                    APITests.json($0)
                }
            }
            let first = try await post(Self.event("a", #"{"kind":"outage","product":"forms","customer_tickets":"CS-1"}"#))
            let second = try await post(Self.event("b", #"{"kind":"outage","product":"forms","customer_tickets":"CS-7"}"#))
            let other = try await post(Self.event("c", #"{"kind":"outage","product":"api"}"#))
            #expect(second["incident"] as? String == first["incident"] as? String)
            #expect(second["message"] as? String == "Report appended")
            #expect(other["incident"] as? String != first["incident"] as? String)
            let id = try #require(first["incident"] as? String)
            #expect(try await store.incident(id: id)?.state.fields["customer_tickets"] == "CS-1, CS-7")
        }
    }
}
