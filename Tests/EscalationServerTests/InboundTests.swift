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

@Suite("Answers on the channel that paged: POST /v1/inbound/{channel}, verified by the plugin, acted on by the core")
struct InboundTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org, phone: "+1 555 0101" } }
          bob: { name: Bob, addresses: { phone: "+15550102" } }
        channels:
          email: { plugin: recording }
          phone: { plugin: stub-inbound, settings: { secret: "${env:STUB_SECRET}" } }
        templates:
          page: { body: "{{ incident.title }}: reply {{ incident.reply_code }}a to acknowledge" }
        policies:
          outage:
            name: Outage
            outcomes: [fixed, false-alarm]
            on:
              signal:
                deployed: []
            layers:
              - { id: first, notify: [{ contact: alice }], template: page, timeout: 10m }
              - { id: second, notify: [{ contact: bob }], template: page, timeout: 10m }
        """

    struct Fixture {
        let api: EscalationAPI
        let log: RecordingChannel.Log
        let clock: ManualClock
    }

    static func fixture() throws -> Fixture {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)])
        let other = PolicyLoader().load(files: [(path: "other.yaml", text: yaml.replacingOccurrences(of: "id: acme, name: Acme", with: "id: other, name: Other")
            .replacingOccurrences(of: "+1 555 0101", with: "+15550199"))]).organisation
        let log = RecordingChannel.Log()
        let clock = ManualClock(Instant(seconds: 1_795_000_000))
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([loaded.organisation, other]),
            registry: try ChannelRegistry([RecordingChannel.self, StubInboundChannel.self]),
            environment: log.environment(["STUB_SECRET": "s3cret"]), clock: clock)
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        return Fixture(api: EscalationAPI(executor: executor, configuration: configuration) { _ in nil }, log: log, clock: clock)
    }

    static func post(_ client: some TestClientProtocol, _ body: String, secret: String? = "s3cret", query: String = "?organisation=acme") async throws -> (HTTPResponse.Status, String) {
        var headers = HTTPFields()
        if let secret, let name = HTTPField.Name("X-Stub-Secret") { headers[name] = secret }
        return try await client.execute(uri: "/v1/inbound/phone\(query)", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    @Test("reply codes are allocated per organisation, reach the template, and are freed when an incident resolves")
    func replyCodes() async throws {
        let fixture = try Self.fixture()
        let executor = fixture.api.executor
        let first = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        let second = try await executor.trigger(organisation: "acme", policy: nil, title: "CPU", fields: [:], dedupKey: nil).incident
        let elsewhere = try await executor.trigger(organisation: "other", policy: nil, title: "X", fields: [:], dedupKey: nil).incident
        #expect([first.state.replyCode, second.state.replyCode, elsewhere.state.replyCode] == ["1", "2", "1"])
        #expect(first.state.fields[IncidentState.replyCodeField] == nil, "the reserved field is not an incident field")
        try await executor.dispatchDue()
        #expect(fixture.log.all.map(\.message.body).sorted() == ["CPU: reply 2a to acknowledge", "Disk full: reply 1a to acknowledge", "X: reply 1a to acknowledge"])
        try await executor.handle(incident: first.id, event: .resolve(by: "alice", scope: nil, outcome: nil))
        let third = try await executor.trigger(organisation: "acme", policy: nil, title: "Again", fields: [:], dedupKey: nil).incident
        #expect(third.state.replyCode == "1")
    }

    @Test("a verified reply acknowledges, resolves with an outcome, snoozes, escalates and signals; each is on the timeline")
    func commands() async throws {
        let fixture = try Self.fixture()
        let executor = fixture.api.executor
        let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        try await Application(router: fixture.api.router()).test(.router) { client in
            let (_, snoozed) = try await Self.post(client, "+15550102|snooze 1 30")
            #expect(snoozed.contains("Snoozed for 30 minutes 1 (Disk full)"), "\(snoozed)")
            #expect(try await executor.incident(incident.id)?.state.snoozedUntil == fixture.clock.now().adding(seconds: 1_800))
            let (status, text) = try await Self.post(client, "+1-555-0101|> old quote\n\n \"1A\"\n-- \nAlice's phone")
            #expect(status == .ok)
            #expect(text.hasPrefix("ANSWER: Acknowledged 1 (Disk full), now acknowledged. Thank you, Alice."), "\(text)")
            #expect(try await executor.incident(incident.id)?.state.acknowledgedBy == "alice")
            let (_, again) = try await Self.post(client, "+15550102|1a")
            #expect(again.contains("was not acknowledged: it was already acknowledged; nothing changed"), "\(again)")
            let (_, snoozeNow) = try await Self.post(client, "+15550102|1s 10")
            #expect(snoozeNow.contains("no escalation is running to hold"), "\(snoozeNow)")
            let (_, signalled) = try await Self.post(client, "+15550102|1 Deployed")
            #expect(signalled.contains("Signalled deployed"), "\(signalled)")
            let (_, badOutcome) = try await Self.post(client, "+15550102|1r maybe")
            #expect(badOutcome.contains("not an outcome of this incident (fixed, false-alarm)"), "\(badOutcome)")
            let (_, resolved) = try await Self.post(client, "+15550102|1r FIXED")
            #expect(resolved.contains("Resolved 1 (Disk full), now resolved"), "\(resolved)")
            let state = try #require(try await executor.incident(incident.id)?.state)
            #expect(state.status == .resolved && state.outcome == "fixed" && state.resolvedBy == "bob")
            let notes = try await executor.timeline(incident.id).map(\.text)
            #expect(notes.contains("acknowledged by alice via stub reply 1A"), "\(notes)")
            #expect(notes.contains("snoozed for 30 minutes by bob via stub reply snooze 1 30"))
            #expect(notes.contains("signalled deployed by bob via stub reply 1 Deployed"))
            #expect(notes.contains("resolved by bob via stub reply 1r FIXED"))
        }
    }

    @Test("a reference names the incident without a code; escalate moves to the next layer")
    func referenceAndEscalate() async throws {
        let fixture = try Self.fixture()
        let executor = fixture.api.executor
        let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        try await Application(router: fixture.api.router()).test(.router) { client in
            let (_, text) = try await Self.post(client, "+15550101|escalate|\(incident.id)")
            #expect(text.contains("Escalated"), "\(text)")
            #expect(try await executor.timeline(incident.id).contains { $0.text == "escalated by alice via stub reply" })
        }
    }

    @Test("bad secrets, unknown senders, senders of another organisation, unknown codes and unknown commands never act")
    func refusals() async throws {
        let fixture = try Self.fixture()
        let executor = fixture.api.executor
        let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        try await Application(router: fixture.api.router()).test(.router) { client in
            #expect(try await Self.post(client, "+15550101|1a", secret: "wrong").0 == .forbidden)
            #expect(try await Self.post(client, "+15550101|1a", secret: nil).0 == .forbidden)
            let (_, stranger) = try await Self.post(client, "+15559999|1a")
            #expect(stranger.contains("not one this escalation service knows"), "\(stranger)")
            // +15550199 is Alice in the other organisation only.
            let (_, foreign) = try await Self.post(client, "+15550199|1a")
            #expect(foreign.contains("not one this escalation service knows"), "\(foreign)")
            let (_, code) = try await Self.post(client, "+15550101|7a")
            #expect(code.contains("No open incident has the code 7"), "\(code)")
            let (_, unknown) = try await Self.post(client, "+15550101|please call me")
            #expect(unknown.contains("is not a command") && unknown.contains("4a to acknowledge"), "\(unknown)")
            let (_, which) = try await Self.post(client, "+15550101|ack")
            #expect(which.contains("Which incident?"), "\(which)")
            let (_, otherReference) = try await Self.post(client, "+15550101|ack|other-1-2-3")
            #expect(otherReference.contains("no longer has"), "\(otherReference)")
            #expect(try await Self.post(client, "+15550101|1a", query: "").0 == .conflict, "two organisations declare the channel")
            #expect(try await Self.post(client, "+15550101|1a", query: "?organisation=nope").0 == .notFound)
            #expect(try await client.execute(uri: "/v1/inbound/email?organisation=acme", method: .post) { $0.status } == .notFound)
        }
        #expect(try await executor.incident(incident.id)?.state.status == .open)
        let metrics = await executor.metrics.prometheus(openIncidents: 1)
        #expect(metrics.contains(#"escalate_inbound_total{channel="phone",outcome="unknown_sender"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"escalate_inbound_total{channel="phone",outcome="refused_request"} 2"#))
    }

    @Test("random inbound bodies, signed or not: never a 5xx, never an act without a verified known sender; each answer is kept")
    func fuzz() async throws {
        let fixture = try Self.fixture()
        let executor = fixture.api.executor
        let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        var state = UInt64(0x5EED)
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let senders = ["+15559999", "", "+1 555 0199", "alice@example.org", "\u{0}", "+15550102x", "|", "é"]
        let texts = ["1a", "ack", "1r", "1e", "1s 30", "1 deployed", "hello", ">1a", "", "\u{0}1a", "99999999999999999999a", "1r \u{FFFF}"]
        var cases: [(text: String, secret: String)] = []
        for _ in 0..<200 {
            var body = [senders[next(senders.count)], texts[next(texts.count)]]
            if next(3) == 0 { body.append([incident.id, "nope", ""][next(3)]) }
            var text = body.joined(separator: "|")
            if next(5) == 0 { text += String(UnicodeScalar(UInt8(next(128)))) }
            cases.append((text, next(2) == 0 ? "s3cret" : ["wrong", ""][next(2)]))
        }
        let posts = cases
        try await Application(router: fixture.api.router()).test(.router) { client in
            for (text, secret) in posts {
                let (status, _) = try await Self.post(client, text, secret: secret)
                #expect(status.code < 500, "\(text.debugDescription): \(status)")
                if secret != "s3cret" { #expect(status == .forbidden) }
                #expect(try await executor.incident(incident.id)?.state.status == .open, "\(text.debugDescription) acted")
            }
            _ = try await Self.post(client, "+15550102|1a")
            #expect(try await executor.incident(incident.id)?.state.status == .acknowledged)
        }
        let kept = try await executor.timeline(incident.id).filter { $0.kind == "inbound" }
        #expect(!kept.isEmpty && kept.allSatisfy { !($0.payload ?? "").contains("s3cret") })
    }

    @Test("a call's status callback saying nobody answered sends the unanswered: channel at once; an unknown call changes nothing")
    func deliveryStatus() async throws {
        let yaml = Self.yaml.replacingOccurrences(
            of: "- { id: first, notify: [{ contact: alice }], template: page, timeout: 10m }",
            with: "- { id: first, notify: [{ contact: alice }], via: [phone, { channel: email, unanswered: 5m }], template: page, timeout: 10m }")
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics)")
        let log = RecordingChannel.Log()
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet([loaded.organisation]),
            registry: try ChannelRegistry([RecordingChannel.self, StubInboundChannel.self]),
            environment: log.environment(["STUB_SECRET": "s3cret"]), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme"], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let api = EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
        let incident = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        while try await executor.dispatchDue() > 0 {}
        let call = try #require(try await executor.deliveries(incident.id).first { $0.channel == "phone" }?.detail)
        #expect(try await executor.deliveries(incident.id).contains { $0.channel == "email" } == false)
        try await Application(router: api.router()).test(.router) { client in
            _ = try await Self.post(client, "DELIVERY|call-nope|unanswered|\(incident.id)")
            _ = try await Self.post(client, "DELIVERY|\(call)|unanswered|no-such-incident")
            #expect(try await executor.deliveries(incident.id).contains { $0.channel == "email" } == false, "an unknown call changes nothing")
            let (status, _) = try await Self.post(client, "DELIVERY|\(call)|unanswered|\(incident.id)")
            #expect(status == .ok)
        }
        #expect(try await executor.deliveries(incident.id).contains { $0.channel == "email" }, "the e-mail follows at once, not after 5 minutes")
    }

    @Test("mail: a reply in one organisation's thread is taken by its channel only; without a thread, the sender's organisation takes it by code")
    func mailGoesToTheThreadsChannel() async throws {
        func organisation(_ id: String, _ address: String) -> String {
            """
            organisation: { id: \(id), name: \(id), timezone: UTC }
            contacts:
              person: { name: Person, addresses: { mail: \(address) } }
            channels:
              mail: { plugin: stub-mail, settings: { prefix: "\(id):" } }
            templates:
              page: { body: "{{ incident.title }}" }
            policies:
              outage:
                name: Outage
                layers:
                  - { id: first, notify: [{ contact: person }], template: page, timeout: 10m }
            """
        }
        let organisations = [("acme", "alice@acme.test"), ("other", "olga@other.test")].map { id, address in
            PolicyLoader().load(files: [(path: "\(id).yaml", text: organisation(id, address))]).organisation
        }
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: PolicySet(organisations), registry: try ChannelRegistry([StubMailChannel.self]),
            environment: ChannelEnvironment([:]), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(tokenHashes: [:], linkKey: SymmetricKey(size: .bits256), baseURL: "http://test")
        let api = EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
        let acme = try await executor.trigger(organisation: "acme", policy: nil, title: "Disk full", fields: [:], dedupKey: nil).incident
        let other = try await executor.trigger(organisation: "other", policy: nil, title: "CPU hot", fields: [:], dedupKey: nil).incident
        func send(_ text: String) async -> (code: Int, text: String) {
            await api.mail(Array(text.utf8), from: "x@test", to: ["replies@test"], peer: "127.0.0.1:1")
        }
        // Olga answers acme's thread with a code her own incident has: acme does not know her, and nothing acts.
        #expect(await send("olga@other.test|1a|acme:\(acme.id)").text.hasPrefix("unknown_sender"))
        #expect(try await executor.incident(other.id)?.state.status == .open)
        #expect(try await executor.incident(acme.id)?.state.status == .open)
        // Without a thread, her organisation takes it by the code.
        #expect(await send("olga@other.test|1a|").text.hasPrefix("acted"))
        #expect(try await executor.incident(other.id)?.state.status == .acknowledged)
        // Alice answers her own thread without a code.
        #expect(await send("alice@acme.test|ack|acme:\(acme.id)").code == 250)
        #expect(try await executor.incident(acme.id)?.state.acknowledgedBy == "person")
        #expect(await send("not a message").code == 550)
    }
}
