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

@Suite("PagerDuty Events v2 by integration key, and refused events")
struct PagerDutyIngestTests {
    static let key = "3f1c0aa8b1d24b3a9e6f0c2d7b5a4e91"

    static func api(lines: InMemoryLogHandler.Lines = .init(), eventsPerMinute: Int = 120, store: InMemoryIncidentStore = InMemoryIncidentStore()) throws -> EscalationAPI {
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: APITests.yaml)]).organisation
        let executor = Executor(
            store: store, policies: PolicySet([acme]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: RecordingChannel.Log().environment(), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"],
            integrationKeys: [ServerConfiguration.hash(token: key): IntegrationRoute(organisation: "acme", policy: "outage")],
            linkKey: SymmetricKey(size: .bits256), maxBodyBytes: 4_096, baseURL: "http://test")
        var limited = configuration
        limited.eventsPerMinute = eventsPerMinute
        return EscalationAPI(executor: executor, configuration: limited, logger: lines.logger(label: "escalate.api")) { _ in nil }
    }

    static func genie(_ key: String) -> HTTPFields {
        var fields = APITests.headers(nil)
        fields[.authorization] = "GenieKey \(key)"
        return fields
    }

    static func event(_ action: String, key: String = key, dedup: String = "disk-1", payload: String = #"{"summary":"Disk full","source":"db1","severity":"critical"}"#) -> ByteBuffer {
        ByteBuffer(string: #"{"routing_key":"\#(key)","event_action":"\#(action)","dedup_key":"\#(dedup)","payload":\#(payload)}"#)
    }

    @Test("trigger, acknowledge and resolve by integration key with no Authorization header, answered as PagerDuty does")
    func lifecycle() async throws {
        let lines = InMemoryLogHandler.Lines()
        let api = try Self.api(lines: lines)
        try await Application(router: api.router()).test(.router) { client in
            let id = try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger")) { response -> String in
                #expect(response.status == .accepted)
                let body = APITests.json(response)
                #expect(body["status"] as? String == "success" && body["message"] as? String == "Event processed" && body["dedup_key"] as? String == "disk-1")
                return body["incident"] as? String ?? ""
            }
            #expect(try await api.executor.incident(id)?.state.policy == "outage")
            for (action, status) in [("acknowledge", IncidentState.Status.acknowledged), ("resolve", .resolved)] {
                try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event(action)) {
                    #expect($0.status == .accepted)
                }
                #expect(try await api.executor.incident(id)?.state.status == status)
            }
            // Already resolved, and never seen: 202, and the log says so.
            for dedup in ["disk-1", "never-seen"] {
                try await client.execute(uri: "/v1/events", method: .post, headers: APITests.headers(nil), body: Self.event("resolve", dedup: dedup)) {
                    #expect($0.status == .accepted)
                    #expect(APITests.json($0)["dedup_key"] as? String == dedup)
                }
            }
            let stale = lines.all.filter { $0.message.contains("no open incident") }
            #expect(stale.count == 2 && stale.allSatisfy { $0.metadata["organisation"] == "acme" })
        }
    }

    @Test("change events are accepted with 202 and logged; they open nothing, and show on incidents opening within the hour")
    func changeEvents() async throws {
        let lines = InMemoryLogHandler.Lines()
        let api = try Self.api(lines: lines)
        try await Application(router: api.router()).test(.router) { client in
            let change = #"{"routing_key":"\#(Self.key)","payload":{"summary":"Deployed v2.3.1","source":"ci"},"links":[{"href":"https://ci.example.org/1","text":"build"}]}"#
            try await client.execute(uri: "/v2/change/enqueue", method: .post, headers: APITests.headers(nil), body: ByteBuffer(string: change)) {
                #expect($0.status == .accepted)
                #expect(APITests.json($0)["status"] as? String == "success")
            }
            #expect(lines.all.contains { $0.message == "change event: Deployed v2.3.1" && $0.metadata["source"] == "ci" })
            #expect(try await api.executor.openIncidentCount() == 0)
            // An incident opening within the hour shows the change on its timeline.
            let id = try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger")) {
                APITests.json($0)["incident"] as? String ?? ""
            }
            let timeline = try await api.executor.timeline(id).map(\.text)
            #expect(timeline.contains("recent change 0 min before: Deployed v2.3.1 (from ci)"), "\(timeline)")
        }
    }

    @Test("change events are kept in the store: an incident opening after a restart still shows them")
    func changesSurviveRestart() async throws {
        let store = InMemoryIncidentStore()
        let before = try Self.api(store: store)
        try await Application(router: before.router()).test(.router) { client in
            let change = #"{"routing_key":"\#(Self.key)","payload":{"summary":"Rotated the DB password","source":"vault"}}"#
            try await client.execute(uri: "/v2/change/enqueue", method: .post, headers: APITests.headers(nil), body: ByteBuffer(string: change)) {
                #expect($0.status == .accepted)
            }
        }
        let after = try Self.api(store: store)
        try await Application(router: after.router()).test(.router) { client in
            let id = try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger")) {
                APITests.json($0)["incident"] as? String ?? ""
            }
            let timeline = try await after.executor.timeline(id).map(\.text)
            #expect(timeline.contains { $0.hasPrefix("recent change") && $0.contains("Rotated the DB password (from vault)") }, "\(timeline)")
        }
        #expect(try await store.pendingEvents(.init(organisation: "acme", policy: "outage"), since: Instant(seconds: 0)).isEmpty, "no threshold counts a change")
    }

    @Test("refused events answer PagerDuty's 400 body, are logged at warning without the key or body, and counted in /metrics")
    func refusals() async throws {
        let lines = InMemoryLogHandler.Lines()
        let api = try Self.api(lines: lines)
        let wrong = "wrong-5d2a7f0e9c1b4d3a"
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger", key: wrong)) { response in
                #expect(response.status == .badRequest)
                let body = APITests.json(response)
                #expect(body["status"] as? String == "invalid event")
                #expect(body["message"] as? String == "Event object is invalid")
                #expect((body["errors"] as? [String])?.first?.contains("routing key") == true)
            }
            try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger", payload: #"{"summary":"x","severity":"dire"}"#)) {
                #expect($0.status == .badRequest)
                #expect((APITests.json($0)["errors"] as? [String])?.first?.contains("severity") == true)
            }
            // An Alertmanager webhook missing a required field.
            try await client.execute(
                uri: "/v1/integrations/alertmanager", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"version":"4","status":"firing","alerts":[]}"#)
            ) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/incidents", method: .post, headers: APITests.headers("wrong-token"), body: ByteBuffer(string: #"{"title":"x"}"#)) {
                #expect($0.status == .unauthorized)
            }
            let warnings = lines.all.filter { $0.level == .warning && $0.message.hasPrefix("ingest refused") }
            #expect(warnings.count == 4)
            #expect(warnings.map { $0.metadata["source"] ?? "" } == ["pagerduty", "pagerduty", "alertmanager", "trigger"])
            #expect(warnings[2].metadata["organisation"] == "acme" && warnings[2].message.contains("groupKey"))
            #expect(!lines.all.contains { $0.message.contains(wrong) || $0.metadata.values.contains { $0.contains(wrong) } }, "the routing key is never logged")
            // The organisation sees its own refusals (the unknown key's cannot be tied to it: log and metric only).
            try await client.execute(uri: "/v1/events/refused", method: .get, headers: APITests.headers("acme-token")) { response in
                #expect(response.status == .ok)
                let refused = APITests.json(response)["refused"] as? [[String: Any]] ?? []
                #expect(refused.map { $0["source"] as? String ?? "" } == ["alertmanager", "pagerduty"], "newest first: \(refused)")
                #expect(refused.first?["reason"] as? String == "invalid" && refused.first?["status"] as? Int == 400)
                #expect((refused.first?["message"] as? String)?.contains("groupKey") == true)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"escalate_events_refused_total{reason="invalid"} 3"#))
                #expect(text.contains(#"escalate_events_refused_total{reason="unauthorized"} 1"#))
            }
        }
    }

    @Test("a sender over its events a minute gets PagerDuty's 429 with Retry-After; counted as rate_limited")
    func rateLimit() async throws {
        let api = try Self.api(eventsPerMinute: 2)
        try await Application(router: api.router()).test(.router) { client in
            // Five events within milliseconds span at most two minute windows, so at least one is over a limit of 2.
            var throttled = 0
            for index in 0..<5 {
                try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger", dedup: "burst-\(index)")) { response in
                    guard response.status == .tooManyRequests else {
                        #expect(response.status == .accepted)
                        return
                    }
                    throttled += 1
                    #expect(APITests.json(response)["status"] as? String == "throttle event")
                    #expect(Int(response.headers[.retryAfter] ?? "").map { (1...60).contains($0) } == true)
                }
            }
            #expect((1...3).contains(throttled))
            try await client.execute(uri: "/metrics", method: .get) {
                #expect(String(buffer: $0.body).contains(#"escalate_events_refused_total{reason="rate_limited"} \#(throttled)"#))
            }
        }
    }

    @Test("keys replaced while serving: a removed key is refused at once, an added one works")
    func keyringReplace() async throws {
        let api = try Self.api()
        try await Application(router: api.router()).test(.router) { client in
            await api.integrationKeys.replace(with: [ServerConfiguration.hash(token: "new-key"): IntegrationRoute(organisation: "acme")])
            try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger")) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v2/enqueue", method: .post, headers: APITests.headers(nil), body: Self.event("trigger", key: "new-key")) {
                #expect($0.status == .accepted)
            }
        }
    }

    @Test("an Alertmanager status other than firing or resolved is refused, not taken for resolved")
    func alertmanagerStatus() async throws {
        let api = try Self.api()
        try await Application(router: api.router()).test(.router) { client in
            func hook(_ status: String) -> ByteBuffer {
                ByteBuffer(string: #"{"version":"4","groupKey":"g","status":"\#(status)","alerts":[{"status":"\#(status)","labels":{"alertname":"A"}}]}"#)
            }
            let id = try await client.execute(uri: "/v1/integrations/alertmanager", method: .post, headers: APITests.headers("acme-token"), body: hook("firing")) {
                APITests.json($0)["incident"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/integrations/alertmanager", method: .post, headers: APITests.headers("acme-token"), body: hook("pending")) {
                #expect($0.status == .badRequest)
                #expect((APITests.json($0)["error"] as? String)?.contains("firing") == true)
            }
            #expect(try await api.executor.incident(id)?.state.status == .open)
        }
    }

    @Test("a method a served path does not serve is a 405 with Allow, not a 404")
    func methodNotAllowed() async throws {
        try await Application(router: try Self.api().router()).test(.router) { client in
            try await client.execute(uri: "/v1/incidents", method: .delete, headers: APITests.headers("acme-token")) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST")
            }
            try await client.execute(uri: "/v2/enqueue", method: .get) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/v1/no-such-path", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test("Opsgenie alerts by GenieKey: create, acknowledge by alias, close by id; unknown alerts 202; refusals in Opsgenie's form")
    func opsgenie() async throws {
        let lines = InMemoryLogHandler.Lines()
        let api = try Self.api(lines: lines)
        let genie = Self.genie(Self.key)
        try await Application(router: api.router()).test(.router) { client in
            let alert = #"{"message":"Replication lag","alias":"og-lag","priority":"P1","details":{"replica":"db3"},"tags":["db","lag"]}"#
            try await client.execute(uri: "/v2/alerts", method: .post, headers: genie, body: ByteBuffer(string: alert)) { response in
                #expect(response.status == .accepted)
                #expect(APITests.json(response)["result"] as? String == "Request will be processed")
                #expect(APITests.json(response)["requestId"] is String)
            }
            let incident = try #require(try await api.executor.openIncident(organisation: "acme", dedupKey: "og-lag"))
            #expect(incident.state.policy == "outage" && incident.state.title == "Replication lag")
            #expect(incident.state.fields["priority"] == "P1" && incident.state.fields["replica"] == "db3" && incident.state.fields["tags"] == "db, lag")
            let ack = #"{"user":"jessie","note":"looking"}"#
            try await client.execute(uri: "/v2/alerts/og-lag/acknowledge?identifierType=alias", method: .post, headers: genie, body: ByteBuffer(string: ack)) {
                #expect($0.status == .accepted)
            }
            #expect(try await api.executor.incident(incident.id)?.state.acknowledgedBy == "jessie")
            #expect(try await api.executor.timeline(incident.id).contains { $0.text == "note from jessie: looking" })
            try await client.execute(uri: "/v2/alerts/\(incident.id)/close", method: .post, headers: genie, body: ByteBuffer(string: "")) {
                #expect($0.status == .accepted)
            }
            #expect(try await api.executor.incident(incident.id)?.state.status == .resolved)
            try await client.execute(uri: "/v2/alerts/og-lag/close?identifierType=alias", method: .post, headers: genie) { #expect($0.status == .accepted) }
            #expect(lines.all.contains { $0.message.contains("no open incident") && $0.metadata["identifier"] == "og-lag" })
            try await client.execute(uri: "/v2/alerts", method: .post, headers: genie, body: ByteBuffer(string: #"{"message":"x","priority":"P9"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect((APITests.json(response)["message"] as? String)?.contains("P1") == true)
            }
            try await client.execute(uri: "/v2/alerts", method: .post, headers: Self.genie("not-a-key"), body: ByteBuffer(string: alert)) { response in
                #expect(response.status == .unauthorized)
                #expect(APITests.json(response)["requestId"] is String)
            }
        }
    }

    @Test("integration key files: hashes and ${env:NAME}; a malformed line names the place, never the key")
    func keyFiles() throws {
        let text = """
            # keys
            acme/outage ${env:PD_KEY}
            acme \(ServerConfiguration.hash(token: "org-key"))
            """
        let keys = try ServerConfiguration.parseIntegrationKeyFile(text, name: "keys", environment: ["PD_KEY": "from-env"])
        #expect(keys[ServerConfiguration.hash(token: "from-env")] == IntegrationRoute(organisation: "acme", policy: "outage"))
        #expect(keys[ServerConfiguration.hash(token: "org-key")] == IntegrationRoute(organisation: "acme"))
        #expect(throws: ServerConfiguration.IntegrationKeyError.self) {
            try ServerConfiguration.parseIntegrationKeyFile("acme in-clear-secret", name: "keys", environment: [:])
        }
        do {
            _ = try ServerConfiguration.parseIntegrationKeyFile("acme/outage in-clear-secret", name: "keys", environment: [:])
        } catch {
            #expect(error.cause == .malformedFile && error.description.hasPrefix("keys:1:") && !error.description.contains("in-clear-secret"))
        }
        do {
            _ = try ServerConfiguration.parseIntegrationKeyFile("acme ${env:MISSING}", name: "keys", environment: [:])
        } catch {
            #expect(error.cause == .missingVariable)
        }
        let both = try ServerConfiguration.integrationKeys(file: nil, environment: ["ESCALATE_INTEGRATION_KEYS": "acme/outage=k1,acme=k2"])
        #expect(both.count == 2 && both[ServerConfiguration.hash(token: "k2")] == IntegrationRoute(organisation: "acme"))
    }
}
