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

/// A signal entering a stage that `requires` a field is refused without it: 422 naming the field, nothing posted.
@Suite("HTTP API: signals with required fields")
struct SignalRequiresAPITests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
        channels:
          email: { plugin: recording }
          banner: { plugin: recording }
        templates:
          identified: { body: "Fix in progress; expected by {{ incident.eta }}" }
        policies:
          outage:
            name: Outage
            fields:
              eta: { type: string }
            layers: [{ id: first, notify: [{ contact: alice }], via: [email] }]
            stages:
              - { id: identified, on: signal, signal: identified, requires: [eta], channel: banner, template: identified }
        """

    @Test("identified without eta is a 422 naming eta and posts nothing; with eta it is posted with the ETA")
    func requires() async throws {
        let store = InMemoryIncidentStore()
        let executor = Executor(
            store: store, policies: PolicySet(graphs: [PolicyPipeline().run(files: [(path: "acme.yaml", text: Self.yaml)]).graph]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(),
            clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let app = Application(router: EscalationAPI(executor: executor, configuration: configuration) { _ in nil }.router())
        try await app.test(.router) { client in
            let id = try await client.execute(
                uri: "/v1/incidents", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)
            ) { APITests.json($0)["id"] as? String ?? "" }
            try await client.execute(
                uri: "/v1/incidents/\(id)/signal", method: .post, headers: APITests.headers("acme-token"),
                body: ByteBuffer(string: #"{"name":"identified"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect((APITests.json(response)["error"] as? String)?.contains("needs field 'eta'") == true)
            }
            #expect(try await store.deliveries(incident: id).allSatisfy { $0.channel != "banner" })
            try await client.execute(
                uri: "/v1/incidents/\(id)/signal", method: .post, headers: APITests.headers("acme-token"),
                body: ByteBuffer(string: #"{"name":"identified","data":{"eta":"11:30"}}"#)
            ) { #expect($0.status == .ok) }
            let banner = try await store.deliveries(incident: id).first { $0.channel == "banner" }
            #expect(banner?.effect.contains("expected by 11:30") == true)
        }
    }
}
