import Crypto
import EscalationChannel
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

/// A clock the tests move (sessions expire by it).
final class ConsoleTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_795_000_000)

    var now: Date { lock.withLock { date } }

    func advance(seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
}

@Suite("Web console")
struct ConsoleTests {
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
            until: [fixed-elsewhere]
            layers:
              - { id: first, notify: [{ contact: alice }], template: page, timeout: 10m, tasks: [{ title: Check the disk }] }
        """

    static func api(baseURL: String = "http://test", clock: ConsoleTestClock = ConsoleTestClock()) throws -> EscalationAPI {
        let acme = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)]).organisation
        var other = PolicyLoader().load(files: [(path: "other.yaml", text: yaml.replacingOccurrences(of: "id: acme, name: Acme", with: "id: other, name: Other"))])
            .organisation
        other.files = ["other.yaml"]
        let set = PolicySet([acme, other])
        let executor = Executor(
            store: InMemoryIncidentStore(), policies: set, registry: try ChannelRegistry([RecordingChannel.self]),
            environment: RecordingChannel.Log().environment(), clock: ManualClock(Instant(seconds: 1_795_000_000)))
        let configuration = ServerConfiguration(
            tokenHashes: [ServerConfiguration.hash(token: "acme-token"): "acme", ServerConfiguration.hash(token: "other-token"): "other"],
            linkKey: SymmetricKey(size: .bits256), maxBodyBytes: 4_096, baseURL: baseURL)
        var api = EscalationAPI(executor: executor, configuration: configuration) { _ in nil }
        api.console = Console(policies: ConsolePolicies(set, graphviz: nil), sessionLifetimeSeconds: 3_600, now: { clock.now })
        return api
    }

    static func text(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    /// `name=value` of a Set-Cookie header of the response, nil when it sets no such cookie.
    static func cookie(_ name: String, in response: TestResponse) -> (value: String, header: String)? {
        for header in response.headers[values: .setCookie] where header.hasPrefix("\(name)=") {
            let value = header.split(separator: ";", maxSplits: 1).first.map { String($0.dropFirst(name.count + 1)) } ?? ""
            return (value, header)
        }
        return nil
    }

    /// The value of the hidden `csrf` input of a page.
    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    static func form(cookie: String?, _ fields: [String: String] = [:]) -> (HTTPFields, ByteBuffer) {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { headers[.cookie] = cookie }
        let body = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return (headers, ByteBuffer(string: body))
    }

    static func cookieHeader(_ cookie: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.cookie] = cookie
        return headers
    }

    /// Signs in with `token` through the form; returns the session cookie (`name=value`) and the session's CSRF token.
    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> (cookie: String, csrf: String) {
        let signInCSRF = try await client.execute(uri: "/console/sign-in", method: .get) { response -> String in
            #expect(response.status == .ok)
            return cookie("escalate_console_signin", in: response)?.value ?? ""
        }
        let (headers, body) = form(cookie: "escalate_console_signin=\(signInCSRF)", ["csrf": signInCSRF, "token": token, "name": "Dana"])
        let session = try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response -> String in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console/incidents")
            return cookie("escalate_console", in: response)?.value ?? ""
        }
        let page = try await client.execute(uri: "/console/incidents", method: .get, headers: cookieHeader("escalate_console=\(session)")) { text($0) }
        return ("escalate_console=\(session)", csrf(in: page) ?? "")
    }

    static func trigger(_ client: some TestClientProtocol, token: String, title: String) async throws -> String {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        let body = try JSONSerialization.data(withJSONObject: ["title": title])
        return try await client.execute(uri: "/v1/incidents", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            #expect(response.status == .created)
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            return json?["id"] as? String ?? ""
        }
    }

    @Test("Sign-in with an organisation token sets an HttpOnly, SameSite=Strict session cookie; a wrong token or a missing CSRF value is refused")
    func signIn() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/console/incidents", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/console/sign-in")
            }
            let signInCSRF = try await client.execute(uri: "/console/sign-in", method: .get) { response -> String in
                let page = Self.text(response)
                #expect(page.contains("<label for=\"token\">"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                return Self.cookie("escalate_console_signin", in: response)?.value ?? ""
            }
            #expect(signInCSRF.count == 64)
            let cookie = "escalate_console_signin=\(signInCSRF)"
            var (headers, body) = Self.form(cookie: cookie, ["csrf": signInCSRF, "token": "wrong-token"])
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.cookie("escalate_console", in: response) == nil)
                #expect(Self.text(response).contains("That token is not valid"))
            }
            (headers, body) = Self.form(cookie: cookie, ["token": "acme-token"])
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
                #expect(Self.cookie("escalate_console", in: response) == nil)
            }
            (headers, body) = Self.form(cookie: cookie, ["csrf": signInCSRF, "token": "acme-token"])
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                let session = Self.cookie("escalate_console", in: response)
                #expect(session?.value.count == 64)
                #expect(session?.header.contains("HttpOnly") == true)
                #expect(session?.header.contains("SameSite=Strict") == true)
                #expect(session?.header.contains("Secure") == false)
            }
        }
    }

    @Test("Over HTTPS the session cookie is Secure")
    func secureCookie() async throws {
        let app = Application(router: try Self.api(baseURL: "https://escalate.example").router())
        try await app.test(.router) { client in
            let signInCSRF = try await client.execute(uri: "/console/sign-in", method: .get) { response -> String in
                #expect(Self.cookie("escalate_console_signin", in: response)?.header.contains("; Secure") == true)
                return Self.cookie("escalate_console_signin", in: response)?.value ?? ""
            }
            let (headers, body) = Self.form(cookie: "escalate_console_signin=\(signInCSRF)", ["csrf": signInCSRF, "token": "acme-token"])
            try await client.execute(uri: "/console/sign-in", method: .post, headers: headers, body: body) { response in
                #expect(Self.cookie("escalate_console", in: response)?.header.contains("; Secure") == true)
            }
        }
    }

    @Test("An organisation sees and acts on only its own incidents")
    func isolation() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            let mine = try await Self.trigger(client, token: "acme-token", title: "Acme disk full")
            let theirs = try await Self.trigger(client, token: "other-token", title: "Other secret outage")
            let (cookie, csrf) = try await Self.signIn(client, token: "acme-token")
            try await client.execute(uri: "/console/incidents", method: .get, headers: Self.cookieHeader(cookie)) { response in
                let page = Self.text(response)
                #expect(page.contains("Acme disk full"))
                #expect(!page.contains("Other secret outage"))
                #expect(!page.contains(theirs))
            }
            try await client.execute(uri: "/console/incidents/\(mine)", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response).contains("Check the disk"))
            }
            try await client.execute(uri: "/console/incidents/\(theirs)", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(response.status == .notFound)
                #expect(!Self.text(response).contains("Other secret outage"))
            }
            let (headers, body) = Self.form(cookie: cookie, ["csrf": csrf])
            try await client.execute(uri: "/console/incidents/\(theirs)/acknowledge", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/incidents/\(theirs)", method: .get, headers: ["Authorization": "Bearer other-token"].fields) { response in
                #expect(Self.text(response).contains("\"status\" : \"open\""))
            }
        }
    }

    @Test("A form post without the session's CSRF token is refused; with it, Acknowledge goes through the executor")
    func csrfAndAcknowledge() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            let id = try await Self.trigger(client, token: "acme-token", title: "Disk full")
            let (cookie, csrf) = try await Self.signIn(client, token: "acme-token")
            #expect(csrf.count == 64)
            for fields in [[:], ["csrf": csrf.uppercased()]] {
                let (headers, body) = Self.form(cookie: cookie, fields)
                try await client.execute(uri: "/console/incidents/\(id)/acknowledge", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden)
                    #expect(Self.text(response).contains("CSRF token is missing or wrong"))
                }
            }
            try await client.execute(uri: "/console/incidents/\(id)", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(Self.text(response).contains("status-open"))
            }
            let (headers, body) = Self.form(cookie: cookie, ["csrf": csrf])
            try await client.execute(uri: "/console/incidents/\(id)/acknowledge", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/console/incidents/\(id)?done=acknowledge")
            }
            try await client.execute(uri: "/console/incidents/\(id)?done=acknowledge", method: .get, headers: Self.cookieHeader(cookie)) { response in
                let page = Self.text(response)
                #expect(page.contains("status-acknowledged"))
                #expect(page.contains("Dana via console"))
                #expect(page.contains("Acknowledged."))
                #expect(!page.contains("id=\"acknowledge\""))
            }
            // A signal of the policy's `until` stops the ladder, through the executor too.
            try await client.execute(uri: "/console/incidents/\(id)", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(Self.text(response).contains("<option value=\"fixed-elsewhere\">fixed-elsewhere</option>"))
            }
            let (signalHeaders, signalBody) = Self.form(cookie: cookie, ["csrf": csrf, "signal": "fixed-elsewhere"])
            try await client.execute(uri: "/console/incidents/\(id)/signal", method: .post, headers: signalHeaders, body: signalBody) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/console/incidents/\(id)?done=signal", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(Self.text(response).contains("Signal sent."))
                #expect(Self.text(response).contains("fixed-elsewhere"))
            }
            // Sign-out needs the token too.
            var (outHeaders, outBody) = Self.form(cookie: cookie)
            try await client.execute(uri: "/console/sign-out", method: .post, headers: outHeaders, body: outBody) { #expect($0.status == .forbidden) }
            (outHeaders, outBody) = Self.form(cookie: cookie, ["csrf": csrf])
            try await client.execute(uri: "/console/sign-out", method: .post, headers: outHeaders, body: outBody) { response in
                #expect(response.status == .seeOther)
                #expect(Self.cookie("escalate_console", in: response)?.header.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/console/incidents", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/console/sign-in")
            }
        }
    }

    @Test("Sessions expire after their lifetime")
    func expiry() async throws {
        let clock = ConsoleTestClock()
        let app = Application(router: try Self.api(clock: clock).router())
        try await app.test(.router) { client in
            let (cookie, _) = try await Self.signIn(client, token: "acme-token")
            clock.advance(seconds: 3_599)
            try await client.execute(uri: "/console/incidents", method: .get, headers: Self.cookieHeader(cookie)) { #expect($0.status == .ok) }
            clock.advance(seconds: 2)
            try await client.execute(uri: "/console/incidents", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/console/sign-in")
            }
            try await client.execute(uri: "/console/events", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(Self.text(response).contains("event: signed-out"))
            }
        }
    }

    @Test("A <script> in an incident title or field is shown as text, on the list and the incident page")
    func escaping() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            let hostile = "<script>alert('x')</script> & \"quoted\""
            let id = try await Self.trigger(client, token: "acme-token", title: hostile)
            let (cookie, _) = try await Self.signIn(client, token: "acme-token")
            let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
            for uri in ["/console/incidents", "/console/incidents/\(id)"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookieHeader(cookie)) { response in
                    let page = Self.text(response)
                    #expect(page.contains(escaped), "\(uri)")
                    #expect(!page.contains("<script>alert"), "\(uri)")
                }
            }
            // A hostile id in the path is escaped in the error page too.
            try await client.execute(uri: "/console/incidents/%3Cb%3Ebold", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(response.status == .notFound)
                #expect(!Self.text(response).contains("<b>bold"))
            }
        }
    }

    @Test("The incidents page pages with the API's cursor and filters by status; a bad cursor or status is a 400 page")
    func paging() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            for number in 1...3 { _ = try await Self.trigger(client, token: "acme-token", title: "Incident number \(number)") }
            let (cookie, _) = try await Self.signIn(client, token: "acme-token")
            let next = try await client.execute(uri: "/console/incidents?limit=2", method: .get, headers: Self.cookieHeader(cookie)) { response -> String in
                let page = Self.text(response)
                #expect(page.contains("Incident number 3") && page.contains("Incident number 2") && !page.contains("Incident number 1"))
                guard let end = page.range(of: "\" rel=\"next\""), let start = page[..<end.lowerBound].range(of: "<a href=\"", options: .backwards) else {
                    return ""
                }
                return String(page[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
            }
            #expect(next.hasPrefix("/console/incidents?limit=2&cursor="))
            try await client.execute(uri: next, method: .get, headers: Self.cookieHeader(cookie)) { response in
                let page = Self.text(response)
                #expect(page.contains("Incident number 1") && !page.contains("Incident number 2"))
                #expect(page.contains("First page"))
            }
            try await client.execute(uri: "/console/incidents?status=resolved", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(Self.text(response).contains("No incidents with status resolved."))
            }
            for uri in ["/console/incidents?status=bogus", "/console/incidents?cursor=%3Cx%3E", "/console/incidents?limit=-1"] {
                try await client.execute(uri: uri, method: .get, headers: Self.cookieHeader(cookie)) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(!Self.text(response).contains("<x>"), "\(uri)")
                }
            }
        }
    }

    @Test("Hostile forms, cookies and paths never trap and never answer 5xx")
    func hostileInput() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            let id = try await Self.trigger(client, token: "acme-token", title: "Disk full")
            let (cookie, csrf) = try await Self.signIn(client, token: "acme-token")
            var generator = SystemRandomNumberGenerator()
            let alphabet = Array("=&%+;ab09\u{0}\u{FFFD}<>\"' \n%zz%4")
            for round in 0..<150 {
                let body = String((0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
                var headers = HTTPFields()
                headers[.contentType] = "application/x-www-form-urlencoded"
                headers[.cookie] = round % 3 == 0 ? "escalate_console=\(body)" : cookie
                let uri = ["/console/sign-in", "/console/incidents/\(id)/snooze", "/console/incidents/\(id)/resolve", "/console/sign-out"][round % 4]
                // The session's CSRF token with a hostile value now and then (not to sign-out, which would end the session).
                let posted = round % 5 == 0 && !uri.hasSuffix("sign-out") ? "csrf=\(csrf)&minutes=\(body)" : body
                try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: posted)) { response in
                    #expect(response.status.code < 500, "\(uri) \(posted.debugDescription)")
                }
            }
            try await client.execute(uri: "/console/incidents/\(id)", method: .get, headers: Self.cookieHeader(cookie)) { #expect($0.status == .ok) }
        }
    }

    @Test("The policy page shows the policy's fields, its graph (as DOT without Graphviz) and explain at a time; another organisation's policy is not found")
    func policyPage() async throws {
        let app = Application(router: try Self.api().router())
        try await app.test(.router) { client in
            let (cookie, _) = try await Self.signIn(client, token: "acme-token")
            try await client.execute(uri: "/console/policies/outage", method: .get, headers: Self.cookieHeader(cookie)) { response in
                #expect(response.status == .ok)
                let page = Self.text(response)
                #expect(page.contains("<h1>Outage</h1>"))
                #expect(page.contains("digraph"))
            }
            try await client.execute(uri: "/console/policies/outage?at=2026-03-09T10:00", method: .get, headers: Self.cookieHeader(cookie)) { response in
                let page = Self.text(response)
                #expect(page.contains("value=\"2026-03-09T10:00\""))
                #expect(page.contains("<pre id=\"explanation\">"))
                #expect(page.contains("alice"))
            }
            try await client.execute(uri: "/console/policies/outage?at=%3Cscript%3E", method: .get, headers: Self.cookieHeader(cookie)) { response in
                let page = Self.text(response)
                #expect(page.contains("&#39;&lt;script&gt;&#39; is not a time"))
                #expect(!page.contains("<script>"))
            }
            try await client.execute(uri: "/console/policies/nope", method: .get, headers: Self.cookieHeader(cookie)) { #expect($0.status == .notFound) }
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// These pairs as request headers.
    fileprivate var fields: HTTPFields {
        var fields = HTTPFields()
        for (name, value) in self { if let name = HTTPField.Name(name) { fields[name] = value } }
        return fields
    }
}
