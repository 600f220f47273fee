import Crypto
import EscalationAnalysis
import EscalationCore
import EscalationEngine
import EscalationGraph
import EscalationStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The web console's routes, beside the API's: sign-in with an organisation token, incidents (live), an incident's
/// timeline and actions, policies with their graphs. Actions go through `event(for:body:)` and `executor.handle`,
/// as `POST /v1/incidents/{id}/{action}` does.
extension EscalationAPI {
    /// The session cookie's name.
    static let sessionCookie = "escalate_console"
    /// The sign-in form's double-submit cookie (CSRF before there is a session).
    static let signInCookie = "escalate_console_signin"
    /// The actions an incident page posts.
    static let consoleActions = ["acknowledge", "resolve", "escalate", "snooze", "signal"]

    func addConsoleRoutes(to router: Router<BasicRequestContext>, console: Console) {
        router.get("/console") { _, _ in ConsolePage.redirect("/console/incidents") }
        router.get("/console/assets/console.css") { _, _ in ConsolePage.respond(.ok, ConsoleAssets.css, type: "text/css; charset=utf-8") }
        router.get("/console/assets/console.js") { _, _ in ConsolePage.respond(.ok, ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/console/assets/favicon.svg") { _, _ in ConsolePage.respond(.ok, ConsoleAssets.icon, type: "image/svg+xml") }
        router.get("/console/sign-in") { request, _ in
            if await consoleSession(request, console) != nil { return ConsolePage.redirect("/console/incidents") }
            return signInForm(problem: nil, status: .ok)
        }
        router.post("/console/sign-in") { request, _ in try await signIn(request, console) }
        router.post("/console/sign-out") { request, _ in
            var request = request
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            let form = try await consoleForm(&request)
            guard ConsoleSessions.same(form["csrf"] ?? "", session.csrf) else { return csrfRefusal(session) }
            await console.sessions.remove(id: session.id)
            var headers = HTTPFields()
            headers[.setCookie] = cookie(Self.sessionCookie, value: "", maxAge: 0)
            return ConsolePage.redirect("/console/sign-in", headers: headers)
        }
        router.get("/console/incidents") { request, _ in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            return try await consoleIncidents(request, session: session)
        }
        router.get("/console/incidents/:id") { request, context in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            let id = try context.parameters.require("id")
            guard let incident = try await consoleIncident(id, session: session) else { return notFound(id, session) }
            let policy = await console.policies.policy(session.organisation, id: incident.state.policy)
            let done = request.uri.queryParameters["done"].map(String.init).flatMap { Self.consoleNotices[$0] }
            return ConsoleViews.incident(
                session: session, incident: incident, timeline: try await executor.timeline(id), deliveries: try await executor.deliveries(id),
                tasks: try await executor.tasks(id), outcomes: policy?.outcomes ?? [], signals: Self.signals(of: policy), notice: done,
                fingerprint: try await fingerprint(incident: id),
                zone: ZonedTime.zone(await console.policies.graph(session.organisation)?.timezone ?? "UTC") ?? ZonedTime.utc
            ).response()
        }
        for action in Self.consoleActions {
            router.post("/console/incidents/:id/\(action)") { request, context in
                let (session, form): (ConsoleSession, ConsoleForm)
                switch try await signedInForm(request, console) {
                case .accepted(let accepted): (session, form) = accepted
                case .refused(let refusal): return refusal
                }
                let id = try context.parameters.require("id")
                guard let incident = try await consoleIncident(id, session: session) else { return notFound(id, session) }
                let back = "/console/incidents/\(HTMLText.component(id))"
                do {
                    let minutes = form.text("minutes").map { Double($0) ?? .nan }
                    let body = ActionBody(by: session.actor, outcome: form.text("outcome"), name: form.text("signal"), minutes: minutes)
                    let event = try event(for: action, body: body)
                    _ = try await run { try await executor.handle(incident: incident.id, event: event) }
                } catch let error as APIError {
                    return ConsolePage.error(error.status, "\(action): \(error.message)", session: session, back: back)
                }
                return ConsolePage.redirect("\(back)?done=\(action)")
            }
        }
        router.get("/console/events") { request, _ in await consoleEvents(request, console) }
        router.get("/console/policies") { request, _ in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            return ConsoleViews.policies(
                session: session, graph: await console.policies.graph(session.organisation), diagnostics: await console.policies.diagnostics(session.organisation)
            ).response()
        }
        router.get("/console/policies/:id") { request, context in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            let id = try context.parameters.require("id")
            guard let policy = await console.policies.policy(session.organisation, id: id) else {
                return ConsolePage.error(.notFound, "Your organisation has no policy '\(id)'.", session: session, back: "/console/policies")
            }
            guard let graph = await console.policies.graph(session.organisation) else { return notFound(id, session) }
            let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
            let explanation = Self.explain(policy, in: graph, query: query, now: console.now())
            return ConsoleViews.policy(
                session: session, policy: policy, drawing: await console.policies.drawing(policy), explanation: explanation,
                diagnostics: await console.policies.diagnostics(session.organisation)
            ).response()
        }
        router.get("/console/policies/:id/graph.svg") { request, context in
            guard let session = await consoleSession(request, console) else { return ConsolePage.redirect("/console/sign-in") }
            let id = try context.parameters.require("id")
            guard let policy = await console.policies.policy(session.organisation, id: id),
                case .svg(let svg) = await console.policies.drawing(policy)
            else { return ConsolePage.error(.notFound, "No drawing of policy '\(id)'.", session: session, back: "/console/policies") }
            // Opened on its own, the drawing may not run script (Graphviz writes none; this is in case).
            var response = ConsolePage.respond(.ok, svg, type: "image/svg+xml")
            response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
            return response
        }
    }

    /// The signals an incident page offers: those that stop the ladder (`until`), then those that enter a stage.
    static func signals(of policy: CompiledPolicy?) -> [String] {
        guard let policy else { return [] }
        var seen = Set<String>()
        return (policy.until + policy.stages.compactMap(\.signal)).filter { seen.insert($0).inserted }
    }

    /// `explain` on the policy page: each layer as if it started at `at` (a local `YYYY-MM-DDTHH:MM` in the
    /// organisation's timezone, or ISO 8601 with an offset; now when absent) with the `field.NAME` values given.
    static func explain(_ policy: CompiledPolicy, in graph: RuleGraph, query: [String: String], now: Date) -> ConsoleViews.Explanation {
        let zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
        let current = Instant(seconds: Int64(now.timeIntervalSince1970))
        let text = query["at"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var fields: [String: String] = [:]
        for field in policy.fields { if let value = query["field.\(field.name)"], !value.isEmpty { fields[field.name] = value } }
        let at = text.isEmpty ? String(ZonedTime.iso8601(current, in: zone).prefix(16)) : text
        guard let instant = text.isEmpty ? current : Instant.parse(text, zone: zone) else {
            return ConsoleViews.Explanation(
                at: at, zone: graph.timezone, fields: fields, text: nil,
                problem: "'\(text)' is not a time: write it as 2026-03-09T10:00 (in \(graph.timezone)) or 2026-03-09T10:00-06:00.")
        }
        let explanation = PolicyExplainer(graph: graph).explain(policy, at: instant, fields: fields)
        return ConsoleViews.Explanation(at: at, zone: graph.timezone, fields: fields, text: explanation.text, problem: nil)
    }

    /// What the incident page says after an action.
    static let consoleNotices = [
        "acknowledge": "Acknowledged.", "resolve": "Resolved.", "escalate": "Escalated to the next layer.", "snooze": "Snoozed.", "signal": "Signal sent.",
    ]

    // MARK: - Sessions

    /// The live session named by the request's cookie, nil when there is none.
    func consoleSession(_ request: Request, _ console: Console) async -> ConsoleSession? {
        guard let id = request.cookies[Self.sessionCookie]?.value, id.count == 64 else { return nil }
        return await console.sessions.session(id: id, now: console.now())
    }

    /// `Set-Cookie` for a console cookie: `HttpOnly`, `SameSite=Strict`, path `/console`, and `Secure` when served over HTTPS.
    func cookie(_ name: String, value: String, maxAge: Int) -> String {
        let secure = configuration.baseURL.lowercased().hasPrefix("https:") ? "; Secure" : ""
        return "\(name)=\(value); Path=/console; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure)"
    }

    /// The sign-in form with a fresh double-submit CSRF value in a cookie.
    func signInForm(problem: String?, status: HTTPResponse.Status) -> Response {
        let csrf = ConsoleSessions.randomToken()
        var response = ConsoleViews.signIn(csrf: csrf, problem: problem).response(status)
        response.headers[.setCookie] = cookie(Self.signInCookie, value: csrf, maxAge: 3_600)
        return response
    }

    /// `POST /console/sign-in`: checks the form's CSRF value against the cookie, then the token, and starts a session.
    func signIn(_ request: Request, _ console: Console) async throws -> Response {
        var request = request
        if let refusal = await signInThrottle(request, console) { return refusal }
        let form = try await consoleForm(&request)
        guard let expected = request.cookies[Self.signInCookie]?.value, ConsoleSessions.same(form["csrf"] ?? "", expected) else {
            logger.notice("console sign-in refused: the CSRF value is missing or wrong")
            return signInForm(problem: "The form had expired or was not sent from this page; sign in again.", status: .forbidden)
        }
        guard let token = form.text("token"), let organisation = configuration.organisation(forToken: token) else {
            logger.notice("console sign-in refused: the token is not valid")
            await countSignInFailure(request, console)
            return signInForm(problem: "That token is not valid. Use your organisation's API token.", status: .unauthorized)
        }
        let name = String((form.text("name") ?? "someone").filter { !$0.isNewline }.prefix(80))
        let session = await console.sessions.create(organisation: organisation, name: name, now: console.now())
        logger.info("console sign-in", metadata: ["organisation": "\(organisation)"])
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: cookie(Self.sessionCookie, value: session.id, maxAge: console.sessions.lifetimeSeconds)))
        headers.append(HTTPField(name: .setCookie, value: cookie(Self.signInCookie, value: "", maxAge: 0)))
        return ConsolePage.redirect("/console/incidents", headers: headers)
    }

    /// A form body (`application/x-www-form-urlencoded`), at most the configured body size.
    func consoleForm(_ request: inout Request) async throws -> ConsoleForm {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "the form is larger than \(configuration.maxBodyBytes) bytes or could not be read")
        }
        return ConsoleForm(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// A signed-in form post: its session and fields, or the page that refuses it (not signed in, or a missing or
    /// wrong CSRF token). Every console POST made while signed in starts here.
    func signedInForm(_ request: Request, _ console: Console) async throws -> SignedInForm {
        var request = request
        guard let session = await consoleSession(request, console) else {
            return .refused(
                ConsolePage.error(.forbidden, "You are not signed in (or your session expired); sign in again.", session: nil, back: "/console/sign-in"))
        }
        let form = try await consoleForm(&request)
        guard ConsoleSessions.same(form["csrf"] ?? "", session.csrf) else { return .refused(csrfRefusal(session)) }
        return .accepted((session, form))
    }

    func csrfRefusal(_ session: ConsoleSession) -> Response {
        logger.notice("console form refused: the CSRF token is missing or wrong", metadata: ["organisation": "\(session.organisation)"])
        return ConsolePage.error(.forbidden, "The form's CSRF token is missing or wrong; reload the page and try again.", session: session)
    }

    func notFound(_ id: String, _ session: ConsoleSession) -> Response {
        ConsolePage.error(.notFound, "Your organisation has no incident '\(id)'.", session: session)
    }

    /// The incident if it belongs to the session's organisation (another organisation's is answered as missing).
    func consoleIncident(_ id: String, session: ConsoleSession) async throws -> StoredIncident? {
        guard let incident = try await executor.incident(id), incident.organisation == session.organisation else { return nil }
        return incident
    }

    // MARK: - Pages

    func consoleIncidents(_ request: Request, session: ConsoleSession) async throws -> Response {
        let parameters = request.uri.queryParameters
        var status: IncidentState.Status?
        if let text = parameters["status"].map(String.init), !text.isEmpty {
            guard let value = IncidentState.Status(rawValue: text) else {
                return ConsolePage.error(.badRequest, "The status must be open, acknowledged or resolved, not '\(text)'.", session: session)
            }
            status = value
        }
        var limit = 25
        if let text = parameters["limit"].map(String.init) {
            guard let value = Int(text), (1...Self.pageLimits.most).contains(value) else {
                return ConsolePage.error(.badRequest, "The limit must be a whole number from 1 to \(Self.pageLimits.most), not '\(text)'.", session: session)
            }
            limit = value
        }
        var after: IncidentCursor?
        let cursor = parameters["cursor"].map(String.init)
        if let cursor {
            guard let value = IncidentCursor(token: cursor) else {
                return ConsolePage.error(.badRequest, "That page link is not valid; start from the first page.", session: session)
            }
            after = value
        }
        let page = try await executor.incidents(IncidentQuery(organisation: session.organisation, status: status, after: after, limit: limit))
        return ConsoleViews.incidents(
            session: session, page: page, status: status, cursor: cursor, limit: limit, fingerprint: try await fingerprint(organisation: session.organisation)
        ).response()
    }

    // MARK: - Live updates

    /// What the incidents page shows, hashed: the newest incidents with their status and last change.
    func fingerprint(organisation: String) async throws -> String {
        let page = try await executor.incidents(IncidentQuery(organisation: organisation, limit: 100))
        return Self.digest(page.incidents.map { "\($0.id) \($0.state.status.rawValue) \($0.updatedAt.seconds) \($0.state.sequence)" })
    }

    /// What an incident page shows, hashed: its state, timeline length, deliveries and tasks.
    func fingerprint(incident id: String) async throws -> String {
        guard let incident = try await executor.incident(id) else { return "gone" }
        let lines = try await executor.timeline(id).count
        let deliveries = try await executor.deliveries(id).map { "\($0.idempotencyKey) \($0.status.rawValue) \($0.attempts)" }
        let tasks = try await executor.tasks(id).count
        return Self.digest(["\(incident.state.status.rawValue) \(incident.updatedAt.seconds) \(incident.state.sequence) \(lines) \(tasks)"] + deliveries)
    }

    static func digest(_ lines: [String]) -> String {
        SHA256.hash(data: Data(lines.joined(separator: "\n").utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// `GET /console/events[?incident=ID][&since=FINGERPRINT]`: server-sent events. `changed` when what the page
    /// shows differs from `since` (polled every `pollSeconds`), `signed-out` when the session ends; closed after
    /// `streamSeconds` (the browser reconnects) or within `pollSeconds` of the server starting to stop (so an open tab does
    /// not hold up a graceful shutdown).
    func consoleEvents(_ request: Request, _ console: Console) async -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let parameters = request.uri.queryParameters
        let incident = parameters["incident"].map(String.init)
        let since = parameters["since"].map(String.init) ?? ""
        let session = await consoleSession(request, console)
        var owned = false
        if let session, let incident { owned = (try? await consoleIncident(incident, session: session)) != nil }
        guard let session, incident == nil || owned else {
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "retry: 60000\nevent: signed-out\ndata: sign in\n\n")))
        }
        let (poll, rounds) = (console.pollSeconds, Int(console.streamSeconds / max(console.pollSeconds, 0.05)))
        let api = self
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n: live\n\n"))
                var last = since
                for round in 0..<max(rounds, 1) {
                    if Task.isShuttingDownGracefully || Task.isCancelled { break }
                    guard await console.sessions.session(id: session.id, now: console.now()) != nil else {
                        try await writer.write(ByteBuffer(string: "event: signed-out\ndata: sign in\n\n"))
                        break
                    }
                    let current: String
                    do {
                        if let incident {
                            current = try await api.fingerprint(incident: incident)
                        } else {
                            current = try await api.fingerprint(organisation: session.organisation)
                        }
                    } catch {
                        current = last
                    }
                    if current != last {
                        try await writer.write(ByteBuffer(string: "event: changed\ndata: \(current)\n\n"))
                        last = current
                    } else if round % 15 == 14 {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                    try await Task.sleep(nanoseconds: UInt64(poll * 1_000_000_000))
                }
                try await writer.finish(nil)
            })
    }
}
