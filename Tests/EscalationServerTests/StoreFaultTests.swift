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
    @Test("a trigger while the disk is full is a 503 with the cause and Retry-After; readyz fails, healthz says why; then it recovers")
    func diskFull() async throws {
        let store = FaultyStore()
        let executor = Executor(
            store: store, policies: PolicySet(graphs: [PolicyPipeline().run(files: [(path: "acme.yaml", text: APITests.yaml)]).graph]),
            registry: try ChannelRegistry([RecordingChannel.self]), environment: RecordingChannel.Log().environment(),
            clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let lines = InMemoryLogHandler.Lines()
        let app = Application(router: EscalationAPI(executor: executor, configuration: configuration, logger: lines.logger()) { _ in nil }.router())
        try await app.test(.router) { client in
            await store.set(failWrites: true)
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
            await store.set(failWrites: false)
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/incidents", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)
            ) { #expect($0.status == .created) }
        }
    }
}
