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

@Suite("Acknowledge links in messages: signed when sent, confirmed on GET, acted on POST")
struct ActionLinkTests {
    static let yaml = APITests.yaml.replacingOccurrences(of: #"page: { body: "{{ incident.title }}" }"#, with: #"page: { body: "{{ incident.title }}: {{ incident.ack_url }}." }"#)

    static func configuration(key: SymmetricKey, previous: [SymmetricKey] = []) -> ServerConfiguration {
        ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: key, previousLinkKeys: previous, baseURL: "http://test")
    }

    static func api(_ configuration: ServerConfiguration, log: RecordingChannel.Log, clock: ManualClock) throws -> EscalationAPI {
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
        var options = Executor.Options()
        options.baseURL = configuration.baseURL
        let signer = ActionLinkSigner(configuration: configuration)
        options.actionLinks = { link, now in signer.url(for: link, now: now) }
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([acme]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: clock, options: options)
        return EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
    }

    @Test("the delivered message holds a signed link for its recipient; GET shows a button and acts on nothing, POST acknowledges")
    func deliveredLink() async throws {
        let log = RecordingChannel.Log()
        // The executor signs at the send's instant; the link's expiry is checked against the wall clock.
        let clock = ManualClock(Instant(seconds: Int64(Date().timeIntervalSince1970)))
        let api = try Self.api(Self.configuration(key: SymmetricKey(size: .bits256)), log: log, clock: clock)
        let triggered = try await api.executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil)
        try await api.executor.dispatchDue()
        let body = try #require(log.all.first?.message.body)
        #expect(!body.contains("escalate-link:"), "the placeholder is replaced: \(body)")
        let link = try #require(body.split(separator: " ").last.map { String($0.dropLast()) }, "the sentence's full stop is not part of the link")
        #expect(link.hasPrefix("http://test/v1/ack/"))
        let path = String(link.dropFirst("http://test".count))
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains(#"<form method="post""#) && page.contains("Acknowledge Disk full?"))
            }
            #expect(try await api.executor.incident(triggered.incident.id)?.state.status == .open)
            try await client.execute(uri: path, method: .post) { #expect($0.status == .ok) }
            let acknowledged = try await api.executor.incident(triggered.incident.id)
            #expect(acknowledged?.state.status == .acknowledged && acknowledged?.state.acknowledgedBy == "alice")
            #expect(try await api.executor.timeline(triggered.incident.id).contains { $0.text == "acknowledged by alice via link" })
            try await client.execute(uri: path, method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("already acknowledged by alice"))
            }
        }
    }

    @Test("expired and altered links are refused with a page that says why; a rotated-out key still verifies in its grace period")
    func refusedLinks() async throws {
        let old = SymmetricKey(size: .bits256)
        let new = SymmetricKey(size: .bits256)
        let log = RecordingChannel.Log()
        let clock = ManualClock(Instant(seconds: 1_795_000_000))
        let api = try Self.api(Self.configuration(key: new, previous: [old]), log: log, clock: clock)
        let incident = try await api.executor.trigger(organisation: "acme", policy: nil, title: "x", fields: [:], dedupKey: nil).incident.id
        let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
        let link = ActionLink(action: .acknowledge, incident: incident, recipient: "alice")
        let expired = ActionLinkSigner(configuration: Self.configuration(key: new)).token(for: link, expires: now.seconds - 60)
        let byOldKey = ActionLinkSigner(configuration: Self.configuration(key: old)).token(for: link, expires: now.seconds + 600)
        let byStranger = ActionLinkSigner(configuration: Self.configuration(key: SymmetricKey(size: .bits256))).token(for: link, expires: now.seconds + 600)
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/v1/ack/\(expired)", method: .get) { response in
                #expect(response.status == .gone)
                #expect(String(buffer: response.body).contains("expired"))
            }
            try await client.execute(uri: "/v1/ack/\(byStranger)", method: .post) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("altered"))
            }
            try await client.execute(uri: "/v1/ack/not-a-token", method: .get) { #expect($0.status == .badRequest) }
            #expect(try await api.executor.incident(incident)?.state.status == .open)
            try await client.execute(uri: "/v1/ack/\(byOldKey)", method: .post) { #expect($0.status == .ok) }
            #expect(try await api.executor.incident(incident)?.state.status == .acknowledged)
        }
    }

    @Test("the link key file is made once (mode 0600) and read back the same, so links outlive a restart")
    func keyFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-link-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try LinkKeyFile.load(path: path)
        let second = try LinkKeyFile.load(path: path)
        let link = ActionLink(action: .acknowledge, incident: "acme-1", recipient: "alice")
        let token = { (key: SymmetricKey) in ActionLinkSigner(configuration: Self.configuration(key: key)).token(for: link, expires: 2_000_000_000) }
        #expect(token(first.signing) == token(second.signing))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try "nothing hex\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LinkKeyFile.Problem.self) { try LinkKeyFile.load(path: path) }
    }

    @Test("an executor without a link signer writes the plain acknowledge URL (as before signed links)")
    func unsignedFallback() async throws {
        let log = RecordingChannel.Log()
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: Self.yaml)]).organisation
        var options = Executor.Options()
        options.baseURL = "http://test"
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([acme]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: ManualClock(Instant(seconds: 1_795_000_000)), options: options)
        let id = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident.id
        try await executor.dispatchDue()
        #expect(log.all.first?.message.body == "Disk full: http://test/v1/incidents/\(id)/acknowledge.")
    }

    @Test("placeholders: replaced in text, odd ids survive, look-alikes are kept")
    func placeholders() {
        let link = ActionLink(action: .acknowledge, incident: "acme-x:1!", recipient: "jo é")
        let text = "Ack: \(link.placeholder). And escalate-link:nonsense! stays."
        let replaced = ActionLink.substitute(in: text) { "<\($0.incident)|\($0.recipient)>" }
        #expect(replaced == "Ack: <acme-x:1!|jo é>. And escalate-link:nonsense! stays.")
        #expect(ActionLink.substitute(in: "no links") { _ in "x" } == "no links")
    }
}

/// `incident.resolve_url` and `incident.escalate_url` sign links the same way; a resolve link works on an acknowledged
/// incident, and the timeline says who acted via a link.
@Suite("Resolve and escalate links")
struct ResolveEscalateLinkTests {
    static let yaml = APITests.yaml.replacingOccurrences(
        of: #"page: { body: "{{ incident.title }}" }"#,
        with: #"page: { body: "{{ incident.title }} ack {{ incident.ack_url }} resolve {{ incident.resolve_url }} escalate {{ incident.escalate_url }} end" }"#
    ).replacingOccurrences(
        of: "tasks: [{ title: Check the disk }] }", with: "tasks: [{ title: Check the disk }] }\n      - { id: second, notify: [{ contact: alice }], template: page }")

    @Test("the message holds three signed links; escalate pages the next layer; resolve works after an acknowledgement")
    func links() async throws {
        let log = RecordingChannel.Log()
        let clock = ManualClock(Instant(seconds: Int64(Date().timeIntervalSince1970)))
        let configuration = ActionLinkTests.configuration(key: SymmetricKey(size: .bits256))
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: Self.yaml)]).organisation
        var options = Executor.Options()
        options.baseURL = configuration.baseURL
        let signer = ActionLinkSigner(configuration: configuration)
        options.actionLinks = { link, now in signer.url(for: link, now: now) }
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([acme]), registry: try ChannelRegistry([RecordingChannel.self]),
            environment: log.environment(), clock: clock, options: options)
        let api = EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
        let triggered = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil)
        try await executor.dispatchDue()
        let words = try #require(log.all.first?.message.body).split(separator: " ").map(String.init)
        func link(after word: String) throws -> String {
            let index = try #require(words.firstIndex(of: word))
            return String(words[index + 1].dropFirst("http://test".count))
        }
        let (ack, resolve, escalate) = (try link(after: "ack"), try link(after: "resolve"), try link(after: "escalate"))
        #expect(Set([ack, resolve, escalate]).count == 3 && [ack, resolve, escalate].allSatisfy { $0.hasPrefix("/v1/ack/") })
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: escalate, method: .get) { #expect(String(buffer: $0.body).contains("Escalate Disk full?")) }
            try await client.execute(uri: escalate, method: .post) { #expect($0.status == .ok) }
            try await executor.dispatchDue()
            #expect(log.all.count == 2, "escalate now paged the next layer")
            try await client.execute(uri: ack, method: .post) { #expect($0.status == .ok) }
            try await client.execute(uri: resolve, method: .get) { #expect(String(buffer: $0.body).contains("Resolve Disk full?")) }
            try await client.execute(uri: resolve, method: .post) { #expect($0.status == .ok) }
        }
        let incident = try await executor.incident(triggered.incident.id)
        #expect(incident?.state.status == .resolved && incident?.state.resolvedBy == "alice")
        let notes = try await executor.timeline(triggered.incident.id).map(\.text)
        #expect(notes.contains("escalated by alice via link") && notes.contains("resolved by alice via link"), "\(notes)")
    }
}
