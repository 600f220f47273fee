import Crypto
import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPolicy
@testable import EscalationServer
import EscalationSimulator
import EscalationStore
import EscalationTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Web console: rehearse")
struct ConsoleRehearseTests {
    static let yaml = """
        organisation: { id: acme, name: Acme, timezone: UTC }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
          bob: { name: Bob, addresses: { email: bob@example.org } }
        channels:
          email: { plugin: recording }
        templates:
          page: { body: "{{ incident.title }}" }
        policies:
          outage:
            name: Outage <b>core</b>
            fields:
              severity: { type: enum, values: [low, high], required: true, description: How bad it is }
              started: { type: time }
              affected: { type: integer }
              owner: { type: contact }
            layers:
              - { id: first, notify: [{ contact: alice }], template: page, timeout: 10m }
              - { id: second, notify: [{ contact: bob }], template: page, timeout: 10m }
        """

    /// The API over two organisations: acme with the policy `outage`, other with only `other-outage`.
    static func api() throws -> (EscalationAPI, PolicySet) {
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
        var other = PolicyLoader().load(files: [
            (path: "other.yaml", text: yaml.replacingOccurrences(of: "id: acme, name: Acme", with: "id: other, name: Other").replacingOccurrences(of: "  outage:", with: "  other-outage:"))
        ]).organisation
        other.files = ["other.yaml"]
        let set = PolicySet([acme, other])
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: set, registry: try ChannelRegistry([RecordingChannel.self]),
            environment: RecordingChannel.Log().environment(), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme", ServerConfiguration.hash(token: "other-token"): "other"],
            linkKey: SymmetricKey(size: .bits256), maxBodyBytes: 8_192, baseURL: "http://test")
        var api = EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
        let clock = ConsoleTestClock()
        api.console = Console(policies: ConsolePolicies(set, graphviz: nil), sessionLifetimeSeconds: 3_600, now: { clock.now })
        return (api, set)
    }

    /// Posts the rehearse form of `policy` with the session's cookie; (status, page).
    static func post(
        _ client: some TestClientProtocol, cookie: String, policy: String = "outage", _ fields: [String: String]
    ) async throws -> (HTTPResponse.Status, String) {
        let (headers, body) = ConsoleTests.form(cookie: cookie, fields)
        return try await client.execute(uri: "/console/policies/\(policy)/rehearse", method: .post, headers: headers, body: body) { response in
            (response.status, ConsoleTests.text(response))
        }
    }

    static let start = "2026-03-09T10:00"

    @Test("The policy page links to the rehearse page, whose form is made from the policy's declared fields and types")
    func form() async throws {
        let (api, _) = try Self.api()
        try await Application(router: api.router()).test(.router) { client in
            let session = try await ConsoleTests.signIn(client, token: "acme-token")
            let policyPage = try await client.execute(uri: "/console/policies/outage", method: .get, headers: ConsoleTests.cookieHeader(session.cookie)) {
                ConsoleTests.text($0)
            }
            #expect(policyPage.contains("href=\"/console/policies/outage/rehearse\""))
            let page = try await client.execute(uri: "/console/policies/outage/rehearse", method: .get, headers: ConsoleTests.cookieHeader(session.cookie)) {
                response -> String in
                #expect(response.status == .ok)
                return ConsoleTests.text(response)
            }
            #expect(page.contains("<h1>Rehearse: Outage &lt;b&gt;core&lt;/b&gt;</h1>"))
            #expect(page.contains("<select id=\"field-severity\" name=\"field.severity\" required"))
            #expect(page.contains("<option value=\"low\">low</option><option value=\"high\">high</option>"))
            #expect(page.contains("How bad it is"))
            #expect(page.contains("<input id=\"field-started\" name=\"field.started\" type=\"datetime-local\""))
            #expect(page.contains("<input id=\"field-affected\" name=\"field.affected\" type=\"number\" value=\"\" step=\"1\""))
            #expect(page.contains("<input id=\"field-owner\" name=\"field.owner\" type=\"text\" value=\"\" list=\"contacts\""))
            #expect(page.contains("<option value=\"bob\">"))
            #expect(page.contains("<textarea id=\"script\" name=\"script\""))
            #expect(page.contains("alice=0.6 within 10m\nbob=0.6 within 10m"), "the answer lines default to the contacts the ladder names")
            #expect(page.contains("name=\"csrf\" value=\"\(session.csrf)\""))
            #expect(!page.contains("style="), "no inline style attributes (the CSP forbids them)")
        }
    }

    @Test("A rehearsal shows the timeline the simulator makes when run directly, in the rendering the HTML export uses")
    func sameTimeline() async throws {
        let (api, set) = try Self.api()
        let graph = try #require(set.graphs["acme"])
        let script = ["bob acks 3m after notified"]
        let expected = try Simulator(graph: graph).run(
            Scenario(
                policy: "outage", fields: ["severity": "high", "affected": "3", "region": "us"], start: try #require(Instant.parse(Self.start, zone: ZonedTime.utc)),
                script: try script.map { line throws(ScriptParser.ParseError) in try ScriptParser.action(line, zone: ZonedTime.utc) }, horizonSeconds: 7_200))
        #expect(expected.acknowledgedBy == "bob")
        try await Application(router: api.router()).test(.router) { client in
            let session = try await ConsoleTests.signIn(client, token: "acme-token")
            let (status, page) = try await Self.post(
                client, cookie: session.cookie,
                [
                    "csrf": session.csrf, "mode": "rehearse", "field.severity": "high", "field.affected": "3", "start": Self.start, "until": "2h",
                    "script": "# bob answers\n" + script.joined(separator: "\n"), "extra": "region = us",
                ])
            #expect(status == .ok)
            #expect(page.contains(TimelineHTML.list(expected, id: "rehearsal-timeline", limit: 1_000)))
            // The same entries, byte for byte, as `escalate simulate --format html` writes for this timeline.
            let entries = String(TimelineHTML.list(expected).dropFirst("<ol class=\"tl\">\n".count))
            #expect(entries.hasPrefix("<li class=\"tl-entry tl-trigger\">"))
            #expect(TimelineRenderer.render(expected, as: .html).contains(entries))
            #expect(page.contains(entries))
            #expect(page.contains(TimelineHTML.result(expected)))
            #expect(page.contains("acknowledged by bob after 13m"))
            #expect(!page.contains("style="))
            // The form keeps what was typed.
            #expect(page.contains("<option value=\"high\" selected>high</option>"))
            let css = try await client.execute(uri: "/console/assets/console.css", method: .get) { ConsoleTests.text($0) }
            #expect(css.contains(TimelineHTML.css), "the console's stylesheet carries the timeline's")
        }
    }

    @Test("A bad field value, a bad script line or too long a horizon gives a 422 naming the field or the line; nothing runs")
    func badInput() async throws {
        let (api, _) = try Self.api()
        try await Application(router: api.router()).test(.router) { client in
            let session = try await ConsoleTests.signIn(client, token: "acme-token")
            var (status, page) = try await Self.post(
                client, cookie: session.cookie,
                ["csrf": session.csrf, "field.severity": "medium", "field.affected": "many", "start": Self.start, "until": "6h"])
            #expect(status == .unprocessableContent)
            #expect(page.contains("Field &#39;severity&#39; must be one of low, high, got &#39;medium&#39;."))
            #expect(page.contains("Field &#39;affected&#39; must be a whole number, got &#39;many&#39;."))
            #expect(page.contains("<a href=\"#field-severity\">"))
            #expect(page.contains("aria-invalid=\"true\""))
            #expect(!page.contains("id=\"rehearsal-timeline\""))

            (status, page) = try await Self.post(
                client, cookie: session.cookie,
                ["csrf": session.csrf, "field.severity": "low", "start": Self.start, "until": "6h", "script": "alice acks at +5m\n\nbob ackz at +7m"])
            #expect(status == .unprocessableContent)
            #expect(page.contains("Script line 3: cannot read &#39;bob ackz at +7m&#39;: unknown action &#39;ackz&#39;"))

            (status, page) = try await Self.post(
                client, cookie: session.cookie,
                ["csrf": session.csrf, "field.severity": "low", "start": Self.start, "until": "6h", "script": "alice acks at +5m\nfail: pager to bob"])
            #expect(status == .unprocessableContent)
            #expect(page.contains("Script line 2: failure &#39;pager&#39;: no such channel"))

            (status, page) = try await Self.post(
                client, cookie: session.cookie,
                [
                    "csrf": session.csrf, "field.severity": "low", "start": "yesterday", "until": "30d",
                    "script": Array(repeating: "alice acks at +5m", count: 51).joined(separator: "\n"),
                ])
            #expect(status == .unprocessableContent)
            #expect(page.contains("Start: &#39;yesterday&#39; is not a time"))
            #expect(page.contains("Simulate for: &#39;30d&#39; is not a duration from 1m to 2d"))
            #expect(page.contains("Script: 51 lines; at most 50."))

            (status, page) = try await Self.post(
                client, cookie: session.cookie,
                ["csrf": session.csrf, "field.severity": "low", "start": Self.start, "extra": "region=us\nseverity=high\nnot a field"])
            #expect(status == .unprocessableContent)
            #expect(page.contains("More fields line 2: &#39;severity&#39; is declared; give it in its own input above."))
            #expect(page.contains("More fields line 3: write NAME=VALUE"))

            (status, page) = try await Self.post(
                client, cookie: session.cookie,
                ["csrf": session.csrf, "mode": "monte-carlo", "field.severity": "low", "start": Self.start, "until": "6h", "answers": "alice=2 within 5m",
                 "runs": "20000", "seed": "x"])
            #expect(status == .unprocessableContent)
            #expect(page.contains("Answer line 1: cannot read the answer model &#39;alice=2 within 5m&#39;"))
            #expect(page.contains("Runs: &#39;20000&#39; is not a whole number from 1 to 10000."))
            #expect(page.contains("Seed: &#39;x&#39; is not a whole number"))
        }
    }

    @Test("Monte Carlo work is bounded: runs × one run's entries within the budget, and two at a time")
    func bounded() async throws {
        let (api, _) = try Self.api()
        try await Application(router: api.router()).test(.router) { client in
            let session = try await ConsoleTests.signIn(client, token: "acme-token")
            let script = (1...50).map { "update step=\($0) at +\($0)m" }.joined(separator: "\n")
            let (status, page) = try await Self.post(
                client, cookie: session.cookie,
                ["csrf": session.csrf, "mode": "monte-carlo", "field.severity": "low", "start": Self.start, "until": "2h", "script": script, "runs": "10000"])
            #expect(status == .unprocessableContent)
            #expect(page.contains("timeline entries, so at most"))
            #expect(!page.contains("<svg"))
        }
        let gate = ConsoleRehearsalGate(limit: 2)
        #expect(await gate.enter())
        #expect(await gate.enter())
        #expect(await !gate.enter())
        // With every place taken, a Monte Carlo rehearsal is answered busy and runs nothing.
        let (_, set) = try Self.api()
        let graph = try #require(set.graphs["acme"])
        let policy = try #require(graph.policy("outage"))
        var rehearsal = ConsoleRehearsal(policy: policy, graph: graph, now: Date(timeIntervalSince1970: 1_795_000_000))
        rehearsal.mode = .monteCarlo
        rehearsal.fields = ["severity": "low"]
        let busy = await rehearsal.run(policy: policy, graph: graph, gate: gate)
        #expect(busy.busy && busy.samples == nil)
        await gate.leave()
        let ran = await rehearsal.run(policy: policy, graph: graph, gate: gate)
        #expect(!ran.busy && ran.samples?.runs == 1_000)
        #expect(await gate.enter(), "the place is given back after the run")
        #expect(await !gate.enter())
    }

    @Test("A rehearsal posted without the session's CSRF token is refused; another organisation's policy is not found")
    func refusals() async throws {
        let (api, _) = try Self.api()
        try await Application(router: api.router()).test(.router) { client in
            let session = try await ConsoleTests.signIn(client, token: "acme-token")
            var (status, page) = try await Self.post(client, cookie: session.cookie, ["field.severity": "low", "start": Self.start, "until": "6h"])
            #expect(status == .forbidden)
            #expect(page.contains("CSRF token is missing or wrong"))
            (status, page) = try await Self.post(client, cookie: session.cookie, ["csrf": "x" + session.csrf.dropFirst(), "field.severity": "low", "start": Self.start])
            #expect(status == .forbidden)
            (status, _) = try await Self.post(client, cookie: "escalate_console=nope", ["csrf": session.csrf, "field.severity": "low", "start": Self.start])
            #expect(status == .forbidden)

            let other = try await ConsoleTests.signIn(client, token: "other-token")
            try await client.execute(uri: "/console/policies/outage/rehearse", method: .get, headers: ConsoleTests.cookieHeader(other.cookie)) { response in
                #expect(response.status == .notFound)
                #expect(ConsoleTests.text(response).contains("Your organisation has no policy &#39;outage&#39;."))
            }
            (status, page) = try await Self.post(
                client, cookie: other.cookie, ["csrf": other.csrf, "field.severity": "low", "start": Self.start, "until": "6h"])
            #expect(status == .notFound)
            #expect(!page.contains("rehearsal-timeline"))
            try await client.execute(uri: "/console/policies/other-outage/rehearse", method: .get, headers: ConsoleTests.cookieHeader(session.cookie)) {
                response in #expect(response.status == .notFound)
            }
        }
    }

    @Test("Monte Carlo draws the distribution of time to acknowledgement as an SVG bar chart with the report's figures")
    func monteCarlo() async throws {
        let (api, set) = try Self.api()
        let graph = try #require(set.graphs["acme"])
        let scenario = Scenario(policy: "outage", fields: ["severity": "high"], start: try #require(Instant.parse(Self.start, zone: ZonedTime.utc)))
        let answers = [AnswerModel(contact: "alice", probability: 0.5, withinSeconds: 300), AnswerModel(contact: "bob", probability: 0.5, withinSeconds: 600)]
        let report = try MonteCarlo(graph: graph).run(scenario, answers: answers, runs: 300, seed: 7)
        let p50 = try #require(report.p50)
        let p90 = try #require(report.p90)
        #expect(report.acknowledged < 300, "some runs are never acknowledged")
        try await Application(router: api.router()).test(.router) { client in
            let session = try await ConsoleTests.signIn(client, token: "acme-token")
            let (status, page) = try await Self.post(
                client, cookie: session.cookie,
                [
                    "csrf": session.csrf, "mode": "monte-carlo", "field.severity": "high", "start": Self.start, "until": "6h",
                    "answers": "alice=0.5 within 5m\nbob=0.5 within 10m", "runs": "300", "seed": "7",
                ])
            #expect(status == .ok)
            #expect(page.contains("<svg viewBox=\"0 0 400 220\""))
            #expect(page.contains("role=\"img\" aria-labelledby=\"mc-chart-title mc-chart-desc\""))
            #expect(page.contains("<desc id=\"mc-chart-desc\">"))
            #expect(page.components(separatedBy: "<rect class=\"bar\"").count > 2, "bars for the acknowledged runs")
            #expect(page.contains("<rect class=\"bar bar-never\""), "a bar for the runs never acknowledged")
            let never = 300 - report.acknowledged
            #expect(page.contains("<dt>Median (p50)</dt><dd>\(PolicyDuration.compact(p50) ?? "0m")</dd>"))
            #expect(page.contains("<dt>p90</dt><dd>\(PolicyDuration.compact(p90) ?? "0m")</dd>"))
            #expect(page.contains("<dt>Never acknowledged</dt><dd>\(never) runs (\(String(format: "%.1f%%", Double(never) / 3)))</dd>"))
            #expect(page.contains("\(report.acknowledged) of 300 runs acknowledged"))
            for (who, count) in report.acknowledgers { #expect(page.contains("<li>\(who): \(count) runs")) }
            #expect(!page.contains("style="))
        }
    }
}
