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
import NIOHTTPTypes
import Testing

/// The console's one-time sign-in links, lint diagnostics, coverage grid and sign-in rate limit.
@Suite("Web console: links, lint, coverage, sign-in limit")
struct ConsoleCoverageTests {
    /// Weekdays 09:00–17:00 UTC a day rota of Alice and Bob; nights and weekends nobody (a known gap).
    static func yaml(_ id: String) -> String {
        """
        organisation:
          id: \(id)
          name: \(id.capitalized)
          timezone: UTC
          calendars:
            office:
              hours: [{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }]
        contacts:
          alice: { name: Alice \(id.capitalized), addresses: { email: alice@example.org } }
          bob: { name: Bob \(id.capitalized), addresses: { email: bob@example.org } }
        schedules:
          day-rota:
            name: Day rota
            rotation: { members: [alice, bob], shift: 1d, start: 2026-11-02T09:00, during: office }
        channels:
          email: { plugin: recording }
        templates:
          page: { body: "{{ incident.title }}" }\(id == "other" ? "\n  other-only: { body: only other has this unused template }" : "")
        policies:
          outage:
            name: Outage
            layers:
              - { id: first, notify: [{ schedule: day-rota }], template: page, timeout: 10m }
          spare:
            name: Spare, shadowed
            layers:
              - { id: first, notify: [{ contact: bob }], template: page }
        """
    }

    /// The link key of the test server.
    static let key = SymmetricKey(size: .bits256)

    /// Two organisations in a temporary folder, loaded as `serve` loads them (with their diagnostics).
    static func api(clock: ConsoleTestClock, configure: (inout Console) -> Void = { _ in }) throws -> (EscalationAPI, folder: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("console-coverage-\(UUID().uuidString)").path
        for id in ["acme", "other"] {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(id)", withIntermediateDirectories: true)
            try yaml(id).write(toFile: "\(folder)/\(id)/organisation.yaml", atomically: true, encoding: .utf8)
        }
        let registry = try ChannelRegistry([RecordingChannel.self])
        let (set, diagnostics) = try PolicySet.loadWithDiagnostics(paths: [folder], channels: registry)
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: set, registry: registry, environment: RecordingChannel.Log().environment(),
            clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme", ServerConfiguration.hash(token: "other-token"): "other"],
            linkKey: key, maxBodyBytes: 4_096, baseURL: "http://test")
        var api = EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
        var console = Console(policies: ConsolePolicies(set, diagnostics: diagnostics, graphviz: nil), sessionLifetimeSeconds: 3_600, now: { clock.now })
        configure(&console)
        api.console = console
        return (api, folder)
    }

    static func now(_ clock: ConsoleTestClock) -> Instant { Instant(seconds: Int64(clock.now.timeIntervalSince1970)) }

    /// A form post with a double-submit CSRF value in both the cookie and the form, from `address`.
    static func post(_ fields: [String: String], address: String = "192.0.2.1", cookie: String? = nil) -> (HTTPFields, ByteBuffer) {
        let csrf = String(repeating: "c", count: 64)
        var (headers, body) = ConsoleTests.form(cookie: cookie ?? "escalate_console_signin=\(csrf)", fields.merging(["csrf": csrf]) { given, _ in given })
        if let name = HTTPField.Name(HTTPEdgeHandler.peerField) { headers[name] = address }
        return (headers, body)
    }

    /// Follows a sign-in link (GET, then the confirmation's button); returns the POST's status and session cookie.
    static func useLink(_ client: some TestClientProtocol, token: String) async throws -> (HTTPResponse.Status, String?) {
        let query = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let csrf = try await client.execute(uri: "/console/link?token=\(query)", method: .get) { response -> String? in
            guard response.status == .ok else { return nil }
            return ConsoleTests.cookie("escalate_console_signin", in: response)?.value
        }
        let (headers, body) = ConsoleTests.form(cookie: "escalate_console_signin=\(csrf ?? "")", ["csrf": csrf ?? "", "token": token, "name": "Robin"])
        return try await client.execute(uri: "/console/link", method: .post, headers: headers, body: body) { response in
            (response.status, ConsoleTests.cookie("escalate_console", in: response).map { "escalate_console=\($0.value)" })
        }
    }

    @Test("A one-time link: the GET changes nothing, the button signs in once; used, expired, altered and unknown links are refused")
    func signInLink() async throws {
        let clock = ConsoleTestClock()
        let (api, _) = try Self.api(clock: clock)
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let link = try ConsoleSignInLink(organisation: "acme", validForSeconds: 900, now: Self.now(clock))
            let url = link.url(baseURL: "http://test/", key: Self.key)
            #expect(url.hasPrefix("http://test/console/link?token="))
            let token = link.token(key: Self.key)
            // Opening it (as a link preview would) shows a button and signs nobody in.
            try await client.execute(uri: "/console/link?token=\(token)", method: .get) { response in
                #expect(response.status == .ok)
                let page = ConsoleTests.text(response)
                #expect(page.contains("Sign in to acme"))
                #expect(page.contains("<form method=\"post\" action=\"/console/link\">"))
                #expect(ConsoleTests.cookie("escalate_console", in: response) == nil)
            }
            let (status, cookie) = try await Self.useLink(client, token: token)
            #expect(status == .seeOther)
            let session = try #require(cookie)
            try await client.execute(uri: "/console/incidents", method: .get, headers: ConsoleTests.cookieHeader(session)) { response in
                #expect(response.status == .ok)
                #expect(ConsoleTests.text(response).contains("Incidents of acme"))
                #expect(ConsoleTests.text(response).contains("Robin"))
            }
            // The session is acme's: other's incident is not found.
            let other = try await ConsoleTests.trigger(client, token: "other-token", title: "Other's secret")
            try await client.execute(uri: "/console/incidents/\(other)", method: .get, headers: ConsoleTests.cookieHeader(session)) { response in
                #expect(response.status == .notFound)
                #expect(!ConsoleTests.text(response).contains("Other's secret"))
            }
            // Used once: refused on the GET and on the POST.
            try await client.execute(uri: "/console/link?token=\(token)", method: .get) { response in
                #expect(response.status == .gone)
                #expect(ConsoleTests.text(response).contains("already been used"))
            }
            let (headers, body) = Self.post(["token": token])  // the confirmation page kept open in another tab
            try await client.execute(uri: "/console/link", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .gone)
                #expect(ConsoleTests.cookie("escalate_console", in: response) == nil)
            }
            // Expired.
            let short = try ConsoleSignInLink(organisation: "acme", validForSeconds: 60, now: Self.now(clock)).token(key: Self.key)
            clock.advance(seconds: 61)
            try await client.execute(uri: "/console/link?token=\(short)", method: .get) { response in
                #expect(response.status == .gone)
                #expect(ConsoleTests.text(response).contains("expired"))
            }
            // Altered: another organisation written into the payload, or signed with another key.
            let fresh = try ConsoleSignInLink(organisation: "acme", validForSeconds: 900, now: Self.now(clock))
            let forged = fresh.token(key: Self.key).replacingOccurrences(
                of: ActionLinkSignerBase64.encode("console-1|acme|"), with: ActionLinkSignerBase64.encode("console-1|othr|"))
            let foreign = fresh.token(key: SymmetricKey(size: .bits256))
            for bad in [forged, foreign] {
                try await client.execute(uri: "/console/link?token=\(bad)", method: .get) { response in
                    #expect(response.status == .forbidden)
                    #expect(ConsoleTests.text(response).contains("not valid"))
                }
                let (status, cookie) = try await Self.useLink(client, token: bad)
                #expect(status == .forbidden)
                #expect(cookie == nil)
            }
            // Cut short, empty, and for an organisation this server does not run.
            for (bad, expected) in [(String(token.prefix(20)), HTTPResponse.Status.badRequest), ("", .badRequest), ("%00%ff", .badRequest)] {
                try await client.execute(uri: "/console/link?token=\(bad)", method: .get) { response in #expect(response.status == expected) }
            }
            let stranger = try ConsoleSignInLink(organisation: "nobody-here", validForSeconds: 900, now: Self.now(clock)).token(key: Self.key)
            try await client.execute(uri: "/console/link?token=\(stranger)", method: .get) { response in #expect(response.status == .forbidden) }
            // An acknowledge link's token (same key) is no sign-in link, and a sign-in token is no acknowledge link.
            let acknowledge = ActionLinkSigner(configuration: api.configuration).token(
                for: ActionLink(action: .acknowledge, incident: other, recipient: "alice"), expires: Self.now(clock).seconds + 600)
            try await client.execute(uri: "/console/link?token=\(acknowledge)", method: .get) { response in #expect(response.status == .badRequest) }
            try await client.execute(uri: "/v1/ack/\(fresh.token(key: Self.key))", method: .get) { response in #expect(response.status == .badRequest) }
            // A POST without the confirmation page's CSRF cookie does not sign in.
            let unused = try ConsoleSignInLink(organisation: "acme", validForSeconds: 900, now: Self.now(clock)).token(key: Self.key)
            let (noCookie, form) = ConsoleTests.form(cookie: nil, ["csrf": "x", "token": unused])
            try await client.execute(uri: "/console/link", method: .post, headers: noCookie, body: form) { response in
                #expect(response.status == .forbidden)
                #expect(ConsoleTests.cookie("escalate_console", in: response) == nil)
            }
        }
        #expect(throws: ConsoleSignInLink.Problem.self) { try ConsoleSignInLink(organisation: "acme", validForSeconds: 7_200, now: Self.now(clock)) }
        #expect(throws: ConsoleSignInLink.Problem.self) { try ConsoleSignInLink(organisation: "a|b", validForSeconds: 60, now: Self.now(clock)) }
    }

    @Test("The policy pages show the running set's lint diagnostics with paths relative to the organisation's folder, only the organisation's own")
    func lintDiagnostics() async throws {
        let clock = ConsoleTestClock()
        let (api, folder) = try Self.api(clock: clock)
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let (cookie, _) = try await ConsoleTests.signIn(client, token: "acme-token")
            for path in ["/console/policies", "/console/policies/outage"] {
                try await client.execute(uri: path, method: .get, headers: ConsoleTests.cookieHeader(cookie)) { response in
                    #expect(response.status == .ok)
                    let page = ConsoleTests.text(response)
                    #expect(page.contains("id=\"diagnostics\""))
                    #expect(page.contains("coverage_gap"))
                    #expect(page.contains("shadowed_policy"))
                    #expect(page.contains("(at organisation.yaml:"))
                    #expect(page.contains("<code>organisation.yaml:"))
                    #expect(!page.contains(folder))
                    #expect(!page.contains("/tmp"))
                    #expect(!page.contains("Alice Other"))
                    #expect(!page.contains("unused_template"))
                    #expect(!page.contains("other-only"))
                }
            }
            // And the other organisation sees its own.
            let (other, _) = try await ConsoleTests.signIn(client, token: "other-token")
            try await client.execute(uri: "/console/policies", method: .get, headers: ConsoleTests.cookieHeader(other)) { response in
                #expect(ConsoleTests.text(response).contains("unused_template"))
            }
        }
    }

    @Test("The coverage page shows a week grid with names and the known gap (red and in words), who is on call now; bad weeks are 400")
    func coverageGrid() async throws {
        let clock = ConsoleTestClock()  // Wednesday 2026-11-18 11:06 UTC: the office is open, Alice's shift
        let (api, _) = try Self.api(clock: clock)
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let (cookie, _) = try await ConsoleTests.signIn(client, token: "acme-token")
            try await client.execute(uri: "/console/policies/outage", method: .get, headers: ConsoleTests.cookieHeader(cookie)) { response in
                #expect(ConsoleTests.text(response).contains("href=\"/console/policies/outage/coverage\""))
            }
            try await client.execute(uri: "/console/policies/outage/coverage", method: .get, headers: ConsoleTests.cookieHeader(cookie)) { response in
                #expect(response.status == .ok)
                let page = ConsoleTests.text(response)
                // The current week, Monday first, in the organisation's zone.
                #expect(page.contains("value=\"2026-11-16\""))
                #expect(page.contains("<th scope=\"col\">Mon 2026-11-16</th>"))
                #expect(page.contains("<th scope=\"col\">Sun 2026-11-22</th>"))
                // Bands from the calendar and hand-offs: nights are a gap, office hours reach the rota.
                #expect(page.contains("<th scope=\"row\">00:00–09:00</th><td class=\"gap\"><strong class=\"gap-label\">Gap</strong>"))
                #expect(page.contains("<th scope=\"row\">09:00–17:00</th><td><ol class=\"reach\"><li value=\"1\">Alice Acme</li>"))
                #expect(page.contains("Bob Acme"))
                #expect(page.contains("Alice Acme"))
                #expect(page.contains("The whole ladder reaches nobody in"))
                #expect(page.contains("id=\"gap-windows\""))
                // On call now.
                #expect(page.contains("<td data-label=\"On call\" class=\"on-call-who\"><strong>Alice Acme</strong></td>"))
                #expect(page.contains("rotation shift 16"))
                #expect(!page.contains("Alice Other"))
                #expect(!page.contains("style="))
            }
            try await client.execute(uri: "/console/policies/outage/coverage?week=2026-11-23", method: .get, headers: ConsoleTests.cookieHeader(cookie)) {
                response in
                #expect(response.status == .ok)
                #expect(ConsoleTests.text(response).contains("<th scope=\"col\">Mon 2026-11-23</th>"))
            }
            for bad in ["2026-02-30", "soon", "99999-01-01"] {
                try await client.execute(uri: "/console/policies/outage/coverage?week=\(bad)", method: .get, headers: ConsoleTests.cookieHeader(cookie)) {
                    response in
                    #expect(response.status == .badRequest)
                }
            }
            try await client.execute(uri: "/console/policies/nope/coverage", method: .get, headers: ConsoleTests.cookieHeader(cookie)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/console/on-call", method: .get, headers: ConsoleTests.cookieHeader(cookie)) { response in
                #expect(response.status == .ok)
                let page = ConsoleTests.text(response)
                #expect(page.contains("Alice Acme"))
                // The rota's week, day by day: nobody at night (in words), Alice on Monday's office hours.
                #expect(
                    page.contains(
                        "<tr><th scope=\"row\">Mon 2026-11-16</th><td><ul class=\"stretches\"><li class=\"nobody-stretch\">00:00–09:00 <strong>Nobody</strong></li>"
                            + "<li>09:00–17:00 <strong>Alice Acme</strong></li><li class=\"nobody-stretch\">17:00–24:00 <strong>Nobody</strong></li></ul></td></tr>"))
                #expect(page.contains("<th scope=\"row\">Sun 2026-11-22</th><td><ul class=\"stretches\"><li class=\"nobody-stretch\">00:00–24:00"))
            }
            try await client.execute(uri: "/console/on-call?week=nope", method: .get, headers: ConsoleTests.cookieHeader(cookie)) { response in
                #expect(response.status == .badRequest)
            }
            // At night nobody is on call, and the page says why.
            clock.advance(seconds: 9 * 3_600)
            let (night, _) = try await ConsoleTests.signIn(client, token: "acme-token")
            try await client.execute(uri: "/console/on-call", method: .get, headers: ConsoleTests.cookieHeader(night)) { response in
                #expect(ConsoleTests.text(response).contains("Nobody"))
                #expect(ConsoleTests.text(response).contains("calendar office is closed"))
            }
            try await client.execute(uri: "/console/policies/outage/coverage", method: .get) { response in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test("Wrong tokens from one address are answered 429 after the limit, right token or not, until the minute ends; others still sign in")
    func signInRateLimit() async throws {
        let clock = ConsoleTestClock()
        let (api, _) = try Self.api(clock: clock) { console in
            console.failuresPerAddress = 3
            console.failuresOverall = 5
        }
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            // Start of a minute, so the window does not roll over mid-test.
            clock.advance(seconds: Double(60 - Int(clock.now.timeIntervalSince1970) % 60))
            for _ in 0..<3 {
                let (headers, body) = Self.post(["token": "wrong"], address: "192.0.2.1")
                try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            for token in ["wrong", "acme-token"] {
                let (headers, body) = Self.post(["token": token], address: "192.0.2.1")
                try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect(response.headers[.retryAfter] == "60")
                    #expect(ConsoleTests.text(response).contains("Too many failed sign-ins from your address"))
                    #expect(ConsoleTests.cookie("escalate_console", in: response) == nil)
                }
            }
            // Another address still signs in.
            var (headers, body) = Self.post(["token": "acme-token"], address: "192.0.2.2")
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
            }
            // Two more wrong tokens from elsewhere reach the overall limit: everyone waits.
            for address in ["192.0.2.3", "192.0.2.4"] {
                (headers, body) = Self.post(["token": "wrong"], address: address)
                try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            (headers, body) = Self.post(["token": "acme-token"], address: "192.0.2.5")
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .tooManyRequests)
                #expect(ConsoleTests.text(response).contains("to this server"))
            }
            // A minute later the first address signs in with the right token.
            clock.advance(seconds: 60)
            (headers, body) = Self.post(["token": "acme-token"], address: "192.0.2.1")
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
            }
        }
    }
}

extension ConsoleCoverageTests {
    @Test("The HTTP edge records the client's address in Escalate-Client-Address, replacing a value the client sent")
    func clientAddress() throws {
        let channel = try HTTPEdgeHandlerTests.channel()
        HTTPEdgeHandlerTests.send(channel, "POST /console/sign-in HTTP/1.1\r\nHost: x\r\nEscalate-Client-Address: 10.9.9.9\r\nContent-Length: 0\r\n\r\n")
        guard case .head(let head)? = try channel.readInbound(as: HTTPRequestPart.self) else {
            Issue.record("no request head was passed on")
            return
        }
        let name = try #require(HTTPField.Name(HTTPEdgeHandler.peerField))
        #expect(head.headerFields[values: name] == ["127.0.0.1"])
    }
}

/// Base64url without padding, as the link tokens write their payloads (for altering one in a test).
enum ActionLinkSignerBase64 {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
