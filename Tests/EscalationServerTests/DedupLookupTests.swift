import Crypto
import EscalationChannel
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationPolicy
import EscalationServer
import EscalationStore
import EscalationTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Acknowledge and resolve by dedup key go through the store's dedup index, not a scan of the newest incidents.
@Suite("Dedup-key lookups")
struct DedupLookupTests {
    /// The API over `store` (organisation acme, token `acme-token`).
    static func api(store: any IncidentStore) throws -> EscalationAPI {
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: APITests.yaml)]).organisation
        let executor = Executor(
            store: store, policies: PolicySet([acme]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: RecordingChannel.Log().environment(), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), maxBodyBytes: 4_096,
            baseURL: "http://test")
        return EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
    }

    /// Commits `count` open incidents of acme straight into the store, each newer than everything before.
    static func addNewer(_ count: Int, to store: any IncidentStore) async throws {
        for index in 0..<count {
            let id = "acme-newer-\(index)"
            let at = Instant(seconds: 1_795_000_100 + Int64(index))
            let state = IncidentState(id: id, policy: "outage", version: "v1", title: "newer \(index)", dedupKey: "newer-\(index)", fields: [:], triggeredAt: at)
            let incident = StoredIncident(id: id, organisation: "acme", state: state, createdAt: at, updatedAt: at)
            try await store.commit(StoreChange(incident: incident, log: [], addTimers: [], removeTimers: [], outbox: []))
        }
    }

    @Test("acknowledge, resolve and Alertmanager's resolved find their incident behind 1,200 newer ones")
    func behindManyNewer() async throws {
        let store = InMemoryIncidentStore()
        let api = try Self.api(store: store)
        let app = Application(router: api.router())
        let headers = APITests.headers("acme-token")
        @Sendable func event(_ action: String, _ key: String) -> ByteBuffer {
            ByteBuffer(string: #"{"routing_key":"acme","event_action":"\#(action)","dedup_key":"\#(key)","payload":{"summary":"Disk full"}}"#)
        }
        @Sendable func hook(_ status: String) -> ByteBuffer {
            ByteBuffer(
                string: #"{"version":"4","groupKey":"{}:{alertname=\"Old\"}","status":"\#(status)","alerts":[{"status":"\#(status)","labels":{"alertname":"Old"}}],"commonLabels":{"alertname":"Old"}}"#
            )
        }
        try await app.test(.router) { client in
            let acked = try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: event("trigger", "old-ack")) {
                Self.json($0)["incident"] as? String ?? ""
            }
            let resolved = try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: event("trigger", "old-resolve")) {
                Self.json($0)["incident"] as? String ?? ""
            }
            let grouped = try await client.execute(uri: "/v1/integrations/alertmanager", method: .post, headers: headers, body: hook("firing")) {
                Self.json($0)["incident"] as? String ?? ""
            }
            try await Self.addNewer(1_200, to: store)
            // The old lookup (the 1,000 newest) no longer sees them.
            let newest = try await api.executor.incidents(organisation: "acme", limit: 1_000).map(\.id)
            #expect(!newest.contains(acked) && !newest.contains(resolved) && !newest.contains(grouped))

            try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: event("acknowledge", "old-ack")) {
                #expect($0.status == .accepted)
                #expect(Self.json($0)["incident"] as? String == acked)
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: event("resolve", "old-resolve")) {
                #expect($0.status == .accepted)
                #expect(Self.json($0)["incident"] as? String == resolved)
            }
            try await client.execute(uri: "/v1/integrations/alertmanager", method: .post, headers: headers, body: hook("resolved")) {
                #expect(Self.json($0)["status"] as? String == "success")
                #expect(Self.json($0)["incident"] as? String == grouped)
            }
            #expect(try await store.incident(id: acked)?.state.status == .acknowledged)
            #expect(try await store.incident(id: resolved)?.state.status == .resolved)
            #expect(try await store.incident(id: grouped)?.state.status == .resolved)
            // Resolved: a second resolve finds no open incident, and is a 202 as in PagerDuty (stock clients raise on others).
            try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: event("resolve", "old-resolve")) {
                #expect($0.status == .accepted)
                #expect(Self.json($0)["incident"] == nil)
            }
        }
    }

    static func json(_ response: TestResponse) -> [String: Any] { APITests.json(response) }
}
