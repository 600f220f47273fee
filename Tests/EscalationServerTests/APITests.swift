import Crypto
import EscalationChannel
import EscalationClient
import EscalationCore
import EscalationExecutor
import EscalationPipeline
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

@Suite("HTTP API")
struct APITests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
        channels:
          email: { plugin: recording }
        templates:
          page: { body: "{{ incident.title }}" }
        policies:
          outage:
            name: Outage
            layers:
              - { id: first, notify: [{ contact: alice }], template: page, timeout: 10m, tasks: [{ title: Check the disk }] }
        """

    static func api() throws -> EscalationAPI {
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
        var other = PolicyLoader().load(files: [(path: "other.yaml", text: yaml.replacingOccurrences(of: "id: acme, name: Acme", with: "id: other, name: Other"))]).organisation
        other.files = ["other.yaml"]
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([acme, other]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: RecordingChannel.Log().environment(), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme", ServerConfiguration.hash(token: "other-token"): "other"],
            integrationKeys: [ServerConfiguration.hash(token: "acme-integration-key"): IntegrationRoute(organisation: "acme", policy: "outage")],
            linkKey: SymmetricKey(size: .bits256), maxBodyBytes: 4_096, baseURL: "http://test")
        return EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
    }

    static func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        fields[.contentType] = "application/json"
        return fields
    }

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    @Test("PagerDuty events trigger, deduplicate and acknowledge; tokens are per organisation")
    func pagerDutyFlow() async throws {
        let api = try Self.api()
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let trigger = #"{"routing_key":"acme","event_action":"trigger","dedup_key":"disk-1","payload":{"summary":"Disk full","source":"db1","severity":"critical"}}"#
            // Without a bearer token, 'acme' is not an integration key: PagerDuty's 400.
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers(nil), body: ByteBuffer(string: trigger)) {
                #expect($0.status == .badRequest)
                #expect(Self.json($0)["status"] as? String == "invalid event")
            }
            let id = try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: trigger)) {
                response -> String in
                #expect(response.status == .accepted)
                #expect(Self.json(response)["dedup_key"] as? String == "disk-1")
                return Self.json(response)["incident"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: trigger)) {
                #expect(Self.json($0)["incident"] as? String == id)
                #expect(Self.json($0)["message"] as? String == "Event deduplicated")
            }
            try await client.execute(uri: "/v1/incidents/\(id)", method: .get, headers: Self.headers("other-token")) {
                #expect($0.status == .forbidden)
            }
            let ack = #"{"routing_key":"acme","event_action":"acknowledge","dedup_key":"disk-1"}"#
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: ack)) {
                #expect($0.status == .accepted)
            }
            try await client.execute(uri: "/v1/incidents/\(id)", method: .get, headers: Self.headers("acme-token")) { response in
                #expect(response.status == .ok)
                let incident = Self.json(response)["incident"] as? [String: Any]
                #expect(incident?["status"] as? String == "acknowledged")
                let timeline = Self.json(response)["timeline"] as? [[String: Any]] ?? []
                #expect(timeline.contains { ($0["text"] as? String)?.contains("acknowledged by events-api") == true })
            }
        }
    }

    @Test("bad bodies get 400 with a message that names the problem; oversized bodies 413")
    func badBodies() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: "{not json")) {
                #expect($0.status == .badRequest)
                #expect((Self.json($0)["error"] as? String)?.contains("not valid JSON") == true)
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: #"{"event_action":"trigger"}"#)) {
                #expect($0.status == .badRequest)
                #expect((Self.json($0)["error"] as? String)?.contains("routing_key") == true)
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: #"{"routing_key":"acme","event_action":"explode"}"#)) {
                #expect($0.status == .badRequest)
                #expect((Self.json($0)["error"] as? String)?.contains("event_action") == true)
            }
            let big = String(repeating: "x", count: 10_000)
            try await client.execute(uri: "/v1/incidents", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: "{\"title\":\"\(big)\"}")) {
                #expect($0.status == .contentTooLarge)
            }
        }
    }

    @Test("Alertmanager webhooks: firing triggers, resolved resolves, keyed by group key")
    func alertmanager() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            func hook(_ status: String) -> ByteBuffer {
                ByteBuffer(string: #"{"version":"4","groupKey":"{}:{alertname=\"HighLatency\"}","status":"\#(status)","receiver":"escalate","alerts":[{"status":"\#(status)","labels":{"alertname":"HighLatency"}}],"commonLabels":{"alertname":"HighLatency","severity":"page"},"commonAnnotations":{"summary":"Latency high"}}"#)
            }
            let id = try await client.execute(uri: "/v1/integrations/alertmanager", method: .post, headers: Self.headers("acme-token"), body: hook("firing")) {
                response -> String in
                #expect(response.status == .accepted)
                return Self.json(response)["incident"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/integrations/alertmanager", method: .post, headers: Self.headers("acme-token"), body: hook("resolved")) {
                #expect(Self.json($0)["incident"] as? String == id)
            }
            try await client.execute(uri: "/v1/incidents/\(id)", method: .get, headers: Self.headers("acme-token")) {
                #expect((Self.json($0)["incident"] as? [String: Any])?["status"] as? String == "resolved")
            }
        }
    }

    @Test("signed acknowledge links: GET confirms without acting, POST acknowledges, tampered links are refused")
    func signedLinks() async throws {
        let api = try Self.api()
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let id = try await client.execute(uri: "/v1/incidents", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)) {
                Self.json($0)["id"] as? String ?? ""
            }
            let link = api.acknowledgeLink(incident: id, by: "alice", now: Instant(seconds: Int64(Date().timeIntervalSince1970)))
            let path = String(link.dropFirst("http://test".count))
            let tampered = String(path.dropLast(2)) + (path.hasSuffix("AA") ? "BB" : "AA")
            try await client.execute(uri: tampered, method: .get) { #expect($0.status == .forbidden) }
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#"<form method="post""#))
            }
            #expect(try await api.executor.incident(id)?.state.status == .open, "a GET acts on nothing")
            try await client.execute(uri: path, method: .post) { #expect($0.status == .ok) }
            #expect(try await api.executor.incident(id)?.state.acknowledgedBy == "alice")
        }
    }

    @Test("every operation in openapi.yaml is served, and health and metrics answer")
    func openAPIMatchesRoutes() async throws {
        let document = OpenAPIDocument.yaml
        #expect(document.hasPrefix("openapi: 3.1"))
        var operations: [(String, String)] = []
        var path: String?
        for line in document.split(separator: "\n") {
            if line.hasPrefix("  /") {
                path = String(line.dropFirst(2).prefix { $0 != ":" })
                if line.contains("{ post:") { operations.append(("POST", path ?? "")) }
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let method = line.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" }
                if ["get", "post", "put", "delete", "patch"].contains(method) { operations.append((method.uppercased(), current)) }
            }
        }
        #expect(operations.count >= 15)
        let documented = operations
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            for (method, template) in documented {
                let uri = template.replacingOccurrences(of: "{id}", with: "no-such-incident")
                try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method) ?? .get, headers: Self.headers("acme-token"), body: ByteBuffer(string: "{}")) { response in
                    // A served route answers with its own status; an unknown route would be a bare 404 without a JSON error.
                    let body = String(buffer: response.body)
                    #expect(response.status != .notFound || body.contains("\"error\""), "\(method) \(uri) is documented but not served")
                }
            }
            // Auth on every route that needs it: no token 401; another organisation's token 403 on an incident.
            let open: Set<String> = ["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/ack/{token}", "/v1/inbound/{channel}"]
            // PagerDuty events carry their key in the body: without one, PagerDuty's 400, not a 401.
            let keyed: Set<String> = ["/v2/enqueue", "/v1/events", "/v2/change/enqueue"]
            for (method, template) in documented where keyed.contains(template) {
                try await client.execute(uri: template, method: HTTPRequest.Method(rawValue: method) ?? .get, headers: Self.headers(nil), body: ByteBuffer(string: "{}")) {
                    #expect($0.status == .badRequest && Self.json($0)["status"] as? String == "invalid event", "\(method) \(template) without a key")
                }
            }
            for (method, template) in documented where !open.contains(template) && !keyed.contains(template) {
                let uri = template.replacingOccurrences(of: "{id}", with: "no-such-incident")
                try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method) ?? .get, headers: Self.headers(nil), body: ByteBuffer(string: "{}")) {
                    #expect($0.status == .unauthorized, "\(method) \(uri) without a token")
                }
            }
            let id = try await client.execute(uri: "/v1/incidents", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)) {
                response -> String in
                #expect(response.status == .created)
                return Self.json(response)["id"] as? String ?? ""
            }
            for (method, template) in documented where template.hasPrefix("/v1/incidents/{id}") {
                let uri = template.replacingOccurrences(of: "{id}", with: id)
                try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method) ?? .get, headers: Self.headers("other-token"), body: ByteBuffer(string: "{}")) {
                    #expect($0.status == .forbidden, "\(method) \(uri) with another organisation's token")
                }
            }
            // Routes that name an organisation rather than an incident: another organisation's token is 403 there too,
            // and the list shows only the token's own incidents.
            let event = #"{"routing_key":"acme","event_action":"trigger","payload":{"summary":"x","source":"s","severity":"critical"}}"#
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.headers("other-token"), body: ByteBuffer(string: event)) {
                #expect($0.status == .forbidden, "POST /v1/events naming acme with other's token")
            }
            try await client.execute(uri: "/v1/incidents", method: .post, headers: Self.headers("other-token"), body: ByteBuffer(string: #"{"organisation":"acme","title":"x"}"#)) {
                #expect($0.status == .forbidden, "POST /v1/incidents naming acme with other's token")
            }
            try await client.execute(uri: "/v1/incidents", method: .get, headers: Self.headers("other-token")) { response in
                #expect(response.status == .ok)
                let listed = (Self.json(response)["incidents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(!listed.contains(id), "GET /v1/incidents with other's token lists acme's incident")
            }
            try await client.execute(uri: "/v1/incidents/\(id)", method: .get, headers: Self.headers("acme-token")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("escalate_open_incidents"))
            }
        }
    }

    @Test("the right organisation's token gets 2xx on every documented route")
    func rightOrganisationOnEveryRoute() async throws {
        var keyed = try Self.api()
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keys) }
        keyed.integrationKeyFile = IntegrationKeyFile(path: keys)
        let api = keyed
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            var served: Set<String> = []
            func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String, token: String?) async throws -> [String: Any] {
                try await client.execute(uri: uri, method: method, headers: Self.headers(token), body: ByteBuffer(string: body)) { response in
                    #expect((200..<300).contains(Int(response.status.code)), "\(method) \(uri): \(response.status) \(String(buffer: response.body))")
                    return Self.json(response)
                }
            }
            func call(_ method: HTTPRequest.Method, _ uri: String, _ template: String, _ body: String = "{}", token: String? = "acme-token") async throws -> [String: Any] {
                served.insert("\(method.rawValue) \(template)")
                return try await send(method, uri, body, token: token)
            }
            _ = try await call(.get, "/healthz", "/healthz")
            _ = try await call(.get, "/readyz", "/readyz")
            _ = try await call(.get, "/metrics", "/metrics")
            _ = try await call(.get, "/openapi.yaml", "/openapi.yaml")
            let event = #"{"routing_key":"acme","event_action":"trigger","dedup_key":"r-1","payload":{"summary":"Disk full","source":"db1","severity":"critical"}}"#
            _ = try await call(.post, "/v1/events", "/v1/events", event)
            let keyed = #"{"routing_key":"acme-integration-key","event_action":"trigger","dedup_key":"r-2","payload":{"summary":"Disk full"}}"#
            _ = try await call(.post, "/v2/enqueue", "/v2/enqueue", keyed, token: nil)
            _ = try await call(.post, "/v2/change/enqueue", "/v2/change/enqueue", #"{"routing_key":"acme-integration-key","payload":{"summary":"deployed"}}"#, token: nil)
            // Opsgenie's routes take the integration key as `Authorization: GenieKey KEY`.
            let genie = PagerDutyIngestTests.genie("acme-integration-key")
            for (uri, template, body) in [
                ("/v2/alerts", "/v2/alerts", #"{"message":"Disk full","alias":"og-1"}"#),
                ("/v2/alerts/og-1/acknowledge?identifierType=alias", "/v2/alerts/{identifier}/acknowledge", "{}"),
                ("/v2/alerts/og-1/close?identifierType=alias", "/v2/alerts/{identifier}/close", "{}"),
            ] {
                served.insert("POST \(template)")
                try await client.execute(uri: uri, method: .post, headers: genie, body: ByteBuffer(string: body)) { #expect($0.status == .accepted, "POST \(uri)") }
            }
            let hook = #"{"version":"4","groupKey":"{}:{alertname=\"A\"}","status":"firing","receiver":"escalate","alerts":[{"status":"firing","labels":{"alertname":"A"}}],"commonLabels":{"alertname":"A"}}"#
            _ = try await call(.post, "/v1/integrations/alertmanager", "/v1/integrations/alertmanager", hook)
            let id = try await call(.post, "/v1/incidents", "/v1/incidents", #"{"title":"x"}"#)["id"] as? String ?? ""
            _ = try await call(.get, "/v1/incidents", "/v1/incidents")
            _ = try await call(.get, "/v1/events/refused", "/v1/events/refused")
            let detail = try await call(.get, "/v1/incidents/\(id)", "/v1/incidents/{id}")
            #expect((detail["tasks"] as? [[String: Any]])?.first?["title"] as? String == "Check the disk")
            #expect(((detail["incident"] as? [String: Any])?["reply_code"] as? String).flatMap(Int.init) != nil, "the reply code responders answer with: \(detail)")
            // `escalate incidents ID` shows the same reply for people.
            let raw = try await client.execute(uri: "/v1/incidents/\(id)", method: .get, headers: Self.headers("acme-token")) { String(buffer: $0.body) }
            let text = try #require(IncidentText.render(detail: raw))
            #expect(text.hasPrefix("\(id)  open  x"))
            #expect(text.contains("timeline:") && text.contains("triggered 'x'"))
            #expect(text.contains("tasks:\n  [ ] Check the disk (anyone; layer first)"), "\(text)")
            #expect(IncidentText.render(detail: "{\"incidents\":[]}") == nil)
            let actions: [(String, String)] = [
                ("update", #"{"fields":{"note":"db1"}}"#), ("signal", #"{"name":"customer-called"}"#), ("snooze", #"{"minutes":5}"#),
                ("escalate", "{}"), ("acknowledge", #"{"by":"alice"}"#), ("resolve", #"{"by":"alice"}"#),
            ]
            for (action, body) in actions {
                _ = try await call(.post, "/v1/incidents/\(id)/\(action)", "/v1/incidents/{id}/\(action)", body)
            }
            let second = try await call(.post, "/v1/incidents", "/v1/incidents", #"{"title":"y"}"#)["id"] as? String ?? ""
            let link = api.acknowledgeLink(incident: second, by: "alice", now: Instant(seconds: Int64(Date().timeIntervalSince1970)))
            _ = try await call(.get, String(link.dropFirst("http://test".count)), "/v1/ack/{token}", token: nil)
            let made = try await call(.post, "/v1/integration-keys", "/v1/integration-keys")
            _ = try await call(.get, "/v1/integration-keys", "/v1/integration-keys")
            let keyID = made["id"] as? String ?? ""
            _ = try await call(.delete, "/v1/integration-keys/\(keyID)", "/v1/integration-keys/{id}")
            _ = try await call(.post, "/v1/reload", "/v1/reload")
            // Answers on channels take no bearer token and need a plugin that takes answers: their 200s are in InboundTests.
            served.insert("POST /v1/inbound/{channel}")
            let documented = OpenAPIDocument.yaml.split(separator: "\n").compactMap { line -> String? in
                line.hasPrefix("  /") ? String(line.dropFirst(2).prefix { $0 != ":" }) : nil
            }
            #expect(documented.count >= 15)
            for path in documented {
                #expect(served.contains { $0.hasSuffix(" \(path)") }, "\(path) was not called with the right token")
            }
        }
    }

    @Test("POST /v1/reload: a changed policy runs for new incidents, open ones keep their version; a broken one is refused with diagnostics")
    func reload() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("acme.yaml")
        try Self.yaml.write(to: file, atomically: true, encoding: .utf8)
        let clock = ManualClock(Instant(seconds: 1_795_000_000))
        let registry = try ChannelRegistry([RecordingChannel.self])
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: try PolicySet.load(paths: [folder.path], channels: registry), registry: registry,
            environment: RecordingChannel.Log().environment(), clock: clock)
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let app = Application(router: EscalationAPI(executor: executor, configuration: configuration) { _ in await executor.reload(paths: [folder.path], channels: registry) }.router())
        try await app.test(.router) { client in
            func trigger() async throws -> (id: String, version: String) {
                try await client.execute(uri: "/v1/incidents", method: .post, headers: Self.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)) {
                    (Self.json($0)["id"] as? String ?? "", Self.json($0)["version"] as? String ?? "")
                }
            }
            func version(_ id: String) async throws -> String {
                try await client.execute(uri: "/v1/incidents/\(id)", method: .get, headers: Self.headers("acme-token")) {
                    (Self.json($0)["incident"] as? [String: Any])?["version"] as? String ?? ""
                }
            }
            let first = try await trigger()
            #expect(!first.version.isEmpty)
            try Self.yaml.replacingOccurrences(of: "timeout: 10m", with: "timeout: 20m").write(to: file, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/reload", method: .post, headers: Self.headers("acme-token")) { #expect($0.status == .ok) }
            let second = try await trigger()
            #expect(second.version != first.version)
            #expect(try await version(first.id) == first.version)
            // The open incident still escalates on its own version: its timer is at +10m, the new incident's at +20m.
            clock.advance(seconds: 600)
            #expect(try await executor.fireDueTimers() == 1)
            // A broken set is refused with located diagnostics, and the running set is kept.
            try Self.yaml.replacingOccurrences(of: "contact: alice", with: "contact: alise").write(to: file, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/reload", method: .post, headers: Self.headers("acme-token")) { response in
                #expect(response.status == .unprocessableContent)
                let diagnostics = Self.json(response)["diagnostics"] as? String ?? ""
                #expect(diagnostics.contains("acme.yaml:12:"), "\(diagnostics)")
                #expect(diagnostics.contains("alise"))
            }
            #expect(try await trigger().version == second.version)
        }
    }
}
