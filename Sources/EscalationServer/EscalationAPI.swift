import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP API over an executor: events in (PagerDuty Events v2 and change events, Opsgenie alerts, Alertmanager), incidents out, actions, health, metrics.
public struct EscalationAPI: Sendable {
    /// The executor.
    public let executor: Executor
    /// Tokens, link key, limits.
    public let configuration: ServerConfiguration
    /// Reloads the policies for a caller of `organisation`; on refusal returns the diagnostics that organisation may
    /// see (its own, with paths relative to the policies folder), nil when reloaded.
    public let reload: @Sendable (_ organisation: String) async -> String?
    /// Where refused requests are logged, so an event that pages nobody leaves a trace on our side.
    public let logger: Logger
    /// Refused ingest requests by reason, for `/metrics`.
    let refusals = IngestRefusals()
    /// Change events of the last hour, shown on incidents that open after them.
    /// PagerDuty events per sender and minute.
    let eventLimiter = EventRateLimiter()
    /// The integration keys in force (the configuration's at start; replaced on reload by whoever owns the file).
    public let integrationKeys: IntegrationKeyring
    /// The integration key file the API adds keys to and revokes them from (nil: keys are managed in the file by hand).
    public var integrationKeyFile: IntegrationKeyFile?
    /// The web console under `/console` (nil: not served).
    public var console: Console?

    /// Creates the API; `integrationKeys` defaults to a keyring with the configuration's keys.
    public init(
        executor: Executor, configuration: ServerConfiguration, integrationKeys: IntegrationKeyring? = nil, logger: Logger = Logger(label: "escalate.api"),
        reload: @escaping @Sendable (_ organisation: String) async -> String?
    ) {
        self.logger = logger
        self.executor = executor
        self.configuration = configuration
        self.integrationKeys = integrationKeys ?? IntegrationKeyring(configuration.integrationKeys)
        self.reload = reload
    }

    /// The router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: FaultMiddleware(logger: logger, retryAfterSeconds: 5))
        // Liveness: the process answers; the store's state is reported, not a reason to restart.
        // Degraded channels (sends failing or timing out in a row) are listed as `organisation/channel: why`.
        router.get("/healthz") { _, _ in
            let degraded = await executor.degradedChannels
            let store: String
            do {
                try await executor.probeStore()
                store = "ok"
            } catch {
                store = "failing: \(error)"
            }
            return JSONResponse.make(.ok, HealthReport(status: "ok", store: store, degradedChannels: degraded))
        }
        // Readiness: not ready while the store cannot write (a load balancer sends events elsewhere).
        router.get("/readyz") { _, _ in
            do {
                try await executor.probeStore()
                return JSONResponse.make(.ok, ["status": "ready"])
            } catch {
                logger.error("not ready: the store cannot write", metadata: ["error": "\(error)"])
                return JSONResponse.make(.serviceUnavailable, ["status": "unavailable", "error": "the store cannot write: \(error)"])
            }
        }
        router.get("/metrics") { _, _ in
            let open = try await executor.openIncidentCount()
            let text =
                await executor.metrics.prometheus(openIncidents: open) + HealthReport.prometheus(degraded: await executor.degradedChannels)
                + (await refusals.prometheus()) + (await executor.coordinationMetrics())
            return JSONResponse.text(.ok, text, type: "text/plain; version=0.0.4")
        }
        router.get("/openapi.yaml") { _, _ in JSONResponse.text(.ok, OpenAPIDocument.yaml, type: "application/yaml") }
        router.post("/v2/enqueue") { request, _ in try await pagerDuty(request) }
        router.post("/v1/events") { request, _ in try await pagerDuty(request) }
        router.post("/v2/change/enqueue") { request, _ in try await pagerDutyChange(request) }
        router.post("/v2/alerts") { request, _ in try await opsgenieCreate(request) }
        router.post("/v2/alerts/:identifier/acknowledge") { request, context in try await opsgenieAction(request, context, close: false) }
        router.post("/v2/alerts/:identifier/close") { request, context in try await opsgenieAction(request, context, close: true) }
        router.get("/v1/events/refused") { request, _ in
            let organisation = try authorise(request)
            return JSONResponse.make(.ok, ["refused": await refusals.recent(organisation: organisation)])
        }
        router.post("/v1/integrations/alertmanager") { request, _ in try await ingest("alertmanager", request) { try await alertmanager(request, organisation: &$0) } }
        router.post("/v1/incidents") { request, _ in try await ingest("trigger", request) { try await create(request, organisation: &$0) } }
        router.get("/v1/incidents") { request, _ in try await list(request) }
        router.get("/v1/incidents/:id") { request, context in
            let incident = try await owned(request, context)
            let timeline = try await executor.timeline(incident.id).map(TimelineLine.init)
            let deliveries = try await executor.deliveries(incident.id).map(DeliveryLine.init)
            let tasks = try await executor.tasks(incident.id).map(TaskLine.init)
            return JSONResponse.make(.ok, IncidentDetail(incident: IncidentSummary(incident), timeline: timeline, deliveries: deliveries, tasks: tasks))
        }
        for action in ["acknowledge", "resolve", "signal", "snooze", "escalate", "update"] {
            router.post("/v1/incidents/:id/\(action)") { request, context in
                var request = request
                let incident = try await owned(request, context)
                let body: ActionBody = try await decode(&request, what: action, allowEmpty: true) ?? ActionBody()
                let event = try event(for: action, body: body)
                let updated = try await run { try await executor.handle(incident: incident.id, event: event) }
                return JSONResponse.make(.ok, json: IncidentSummary(updated).prettyJSON)
            }
        }
        router.get("/v1/ack/:token") { _, context in try await confirmLink(context) }
        router.post("/v1/ack/:token") { _, context in try await followLink(context) }
        addIntegrationKeyRoutes(to: router)
        router.post("/v1/inbound/:channel") { request, context in try await inbound(request, context) }
        router.post("/v1/reload") { request, _ in
            let organisation = try authorise(request)
            if let problems = await reload(organisation) { return JSONResponse.make(.unprocessableContent, ["error": "reload refused; the running policies are kept", "diagnostics": problems]) }
            return JSONResponse.make(.ok, ["status": "reloaded"])
        }
        if let console {
            addConsoleRoutes(to: router, console: console)
            addConsoleLinkRoutes(to: router, console: console)
            addConsoleCoverageRoutes(to: router, console: console)
            addConsoleRehearseRoutes(to: router, console: console)
        }
        Self.answerOtherMethods(on: router)
        return router
    }

    // MARK: - Auth

    func authorise(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "missing 'Authorization: Bearer TOKEN' header")
        }
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let organisation = configuration.organisation(forToken: parts[1]) else {
            throw APIError(.unauthorized, "the bearer token is not valid")
        }
        return organisation
    }

    func owned(_ request: Request, _ context: BasicRequestContext) async throws -> StoredIncident {
        let organisation = try authorise(request)
        let id = try context.parameters.require("id")
        guard let incident = try await executor.incident(id) else { throw APIError(.notFound, "no incident '\(id)'") }
        guard incident.organisation == organisation else {
            throw APIError(.forbidden, "incident '\(id)' belongs to another organisation than this token's")
        }
        return incident
    }

    // MARK: - Bodies

    /// Reads and decodes a JSON body: 413 over the limit, 400 for a body that cannot be read (a malformed chunked
    /// body), 411 for a required body sent without a length, 415 for a body whose Content-Type is not JSON. A body
    /// without a Content-Type is taken as JSON (PagerDuty, Alertmanager and Opsgenie clients send application/json).
    func decode<T: Decodable>(_ request: inout Request, what: String, allowEmpty: Bool = false) async throws -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "\(what): the body is larger than \(configuration.maxBodyBytes) bytes")
        } catch let error as HTTPParserError {
            throw APIError(.badRequest, "\(what): \(HTTPEdgeHandler.describe(error).1)")
        } catch {
            throw APIError(.badRequest, "\(what): the body could not be read (\(error))")
        }
        if buffer.readableBytes == 0 {
            if allowEmpty { return nil }
            if request.headers[.contentLength] == nil, request.headers[.transferEncoding] == nil {
                throw APIError(.lengthRequired, "\(what): send a JSON object as the body, with a Content-Length")
            }
            throw APIError(.badRequest, "\(what): the body is empty; send a JSON object")
        }
        if let type = request.headers[.contentType], !Self.isJSON(type) {
            throw APIError(
                .unsupportedMediaType, "\(what): the body must be JSON sent with 'Content-Type: application/json', not '\(type)'")
        }
        if T.self == TriggerBody.self, let body = buffer.withUnsafeReadableBytes({ TriggerBody.fast($0) }) as? T { return body }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.decoding(error, what: what)
        }
    }

    /// Whether a Content-Type names JSON: `application/json` or a `+json` type, parameters (charset) allowed.
    static func isJSON(_ contentType: String) -> Bool {
        // The header every client sends, with or without parameters, is recognised from its bytes: Foundation's
        // trimming and lowercasing of it cost about 1 % of a trigger's CPU. Any other value takes the full reading,
        // which gives the same answer for these (`ContentTypeTests` compares the two on random values).
        let utf8 = contentType.utf8
        let plain = "application/json".utf8
        // ASCII only: a combining mark after the `;` would join it into another character, and the split would not see it.
        if utf8.starts(with: plain), utf8.allSatisfy({ $0 < 0x80 }) {
            let rest = utf8.dropFirst(plain.count)
            if rest.isEmpty || rest.first == UInt8(ascii: ";") { return true }
        }
        return isJSONRead(contentType)
    }

    /// `isJSON` for any value: the type before the parameters, trimmed and lowercased.
    static func isJSONRead(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExecutorError {
            logger.notice("request refused: \(error.description)", metadata: ["cause": "\(error.kind)"])
            switch error.kind {
            case .notFound: throw APIError(.notFound, error.description)
            case .invalid: throw APIError(.unprocessableContent, error.description)
            case .conflict: throw APIError(.conflict, error.description)
            default: throw APIError(.unprocessableContent, error.description)
            }
        }
    }

    func event(for action: String, body: ActionBody) throws -> EngineEvent {
        let who = body.by ?? "api"
        switch action {
        case "acknowledge": return .acknowledge(by: who)
        case "resolve": return .resolve(by: who, scope: body.scope, outcome: body.outcome)
        case "escalate": return .escalateNow
        case "update":
            guard let fields = body.fields, !fields.isEmpty else { throw APIError(.badRequest, "update: send {\"fields\": {…}}") }
            return .updateFields(fields.mapValues(\.text))
        case "signal":
            guard let name = body.name, !name.isEmpty else { throw APIError(.badRequest, "signal: send {\"name\": \"SIGNAL\"} (and optional \"data\")") }
            return .signal(name: name, data: (body.data ?? [:]).mapValues(\.text))
        default:
            let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
            // At most 30 days (a longer snooze is almost certainly a mistake; resolve the incident instead).
            let longest = 30 * 24 * 60
            if let value = body.minutes {
                guard value == value.rounded(), value >= 1, value <= Double(longest) else {
                    let shown = value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
                    throw APIError(.badRequest, "snooze: minutes must be a whole number between 1 and \(longest) (30 days), got \(shown)")
                }
                return .snooze(until: now.adding(seconds: Int(value) * 60))
            }
            if let until = body.until, let instant = Instant.parse(until, zone: ZonedTime.utc) {
                guard instant.seconds(since: now) <= longest * 60 else {
                    throw APIError(.badRequest, "snooze: until must be at most 30 days ahead, got \(until)")
                }
                return .snooze(until: instant)
            }
            throw APIError(.badRequest, "snooze: send {\"minutes\": 30} or {\"until\": \"2026-11-22T10:00Z\"}")
        }
    }

    // MARK: - Routes

    func create(_ request: Request, organisation known: inout String?) async throws -> Response {
        var request = request
        let organisation = try authorise(request)
        known = organisation
        guard let body: TriggerBody = try await decode(&request, what: "trigger") else { throw APIError(.badRequest, "trigger: empty body") }
        if let named = body.organisation, named != organisation {
            throw APIError(.forbidden, "this token belongs to '\(organisation)', not '\(named)'")
        }
        let reception = try await run {
            try await executor.receive(
                organisation: organisation, policy: body.policy, title: body.title, fields: (body.fields ?? [:]).mapValues(\.text),
                dedupKey: body.dedupKey)
        }
        guard case .opened(let triggered) = reception else { return Self.waiting(reception, dedupKey: body.dedupKey) }
        await noteRecentChanges(triggered)
        return JSONResponse.make(triggered.created ? .created : .ok, json: IncidentSummary(triggered.incident).prettyJSON)
    }

    /// The most incidents one page of `GET /v1/incidents` may hold, and how many it holds without `limit`.
    static let pageLimits = (most: 500, usual: 100)

    /// `GET /v1/incidents?limit=1…500&cursor=…&status=open|acknowledged|resolved`: one page, newest first, with the
    /// next page's cursor as `next_cursor` in the body (null on the last page) and in a `Link: <…>; rel="next"` header.
    func list(_ request: Request) async throws -> Response {
        let organisation = try authorise(request)
        let parameters = request.uri.queryParameters
        var limit = Self.pageLimits.usual
        if let text = parameters["limit"].map(String.init) {
            guard let value = Int(text), (1...Self.pageLimits.most).contains(value) else {
                throw APIError(.badRequest, "limit must be a whole number from 1 to \(Self.pageLimits.most), got '\(text)'")
            }
            limit = value
        }
        var status: IncidentState.Status?
        if let text = parameters["status"].map(String.init) {
            guard let value = IncidentState.Status(rawValue: text) else {
                throw APIError(.badRequest, "status must be open, acknowledged or resolved, got '\(text)'")
            }
            status = value
        }
        var after: IncidentCursor?
        if let text = parameters["cursor"].map(String.init) {
            guard let cursor = IncidentCursor(token: text) else {
                throw APIError(.badRequest, "cursor '\(text)' is not a cursor this server gave; pass the next_cursor of the previous page unchanged")
            }
            after = cursor
        }
        let page = try await executor.incidents(IncidentQuery(organisation: organisation, status: status, after: after, limit: limit))
        var response = JSONResponse.make(.ok, IncidentListing(incidents: page.incidents.map(IncidentSummary.init), nextCursor: page.next?.token))
        if let next = page.next, let link = HTTPField.Name("Link") {
            let filter = status.map { "&status=\($0.rawValue)" } ?? ""
            response.headers[link] = "</v1/incidents?limit=\(limit)\(filter)&cursor=\(next.token)>; rel=\"next\""
        }
        return response
    }

    /// 202 for an event that counted towards its policy's threshold and opened nothing yet
    /// (`"message": "waiting for 1 more within 30m"`).
    static func waiting(_ reception: Executor.Reception, dedupKey: String?) -> Response {
        var body = ["status": "waiting"]
        if case .counted(let policy, let admission) = reception {
            body["policy"] = policy
            body["message"] = admission.description
        }
        if let dedupKey { body["dedup_key"] = dedupKey }
        return JSONResponse.make(.accepted, body)
    }

    func alertmanager(_ request: Request, organisation known: inout String?) async throws -> Response {
        var request = request
        let organisation = try authorise(request)
        known = organisation
        let policy = request.uri.queryParameters["policy"].map(String.init)
        guard let hook: AlertmanagerWebhook = try await decode(&request, what: "alertmanager webhook") else {
            throw APIError(.badRequest, "alertmanager webhook: empty body")
        }
        guard hook.version == "4" else { throw APIError(.badRequest, "alertmanager webhook: version must be \"4\", got \"\(hook.version)\"") }
        // Anything but firing or resolved is refused, not taken for resolved (which would stop an escalation).
        guard hook.status == "firing" || hook.status == "resolved" else {
            throw APIError(.badRequest, "alertmanager webhook: status must be \"firing\" or \"resolved\", got \"\(hook.status)\"")
        }
        let dedupKey = "alertmanager:\(hook.groupKey)"
        if hook.status == "firing" {
            var fields = hook.commonLabels ?? [:]
            for (key, value) in hook.commonAnnotations ?? [:] where fields[key] == nil { fields[key] = value }
            fields["alerts"] = String(hook.alerts.filter { $0.status == "firing" }.count)
            let title = hook.commonAnnotations?["summary"] ?? hook.commonLabels?["alertname"] ?? "Alertmanager group \(hook.groupKey)"
            let reception = try await run {
                try await executor.receive(organisation: organisation, policy: policy, title: title, fields: fields, dedupKey: dedupKey)
            }
            guard case .opened(let triggered) = reception else { return Self.waiting(reception, dedupKey: dedupKey) }
            await noteRecentChanges(triggered)
            return JSONResponse.make(.accepted, ["status": "success", "incident": triggered.incident.id, "dedup_key": dedupKey])
        }
        guard let incident = try await executor.openIncident(organisation: organisation, dedupKey: dedupKey) else {
            return JSONResponse.make(.accepted, ["status": "ignored", "message": "no open incident for this group", "dedup_key": dedupKey])
        }
        _ = try await run { try await executor.handle(incident: incident.id, event: .resolve(by: "alertmanager", scope: nil, outcome: nil)) }
        return JSONResponse.make(.accepted, ["status": "success", "incident": incident.id, "dedup_key": dedupKey])
    }

    /// On every served path, the methods it does not serve answer 405 with `Allow` (not a bare 404, which says the
    /// path does not exist).
    static func answerOtherMethods(on router: Router<BasicRequestContext>) {
        let served = Dictionary(grouping: router.routes, by: { $0.path.description })
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .options, .trace, .connect] + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for (_, routes) in served {
            guard let path = routes.first?.path else { continue }
            let allowed = Set(routes.map(\.method))
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            for method in methods where !allowed.contains(method) {
                router.on(path, method: method) { request, _ -> Response in
                    var response = JSONResponse.make(.methodNotAllowed, ["error": "\(request.method) is not served on \(request.uri.path); use \(allow)"])
                    response.headers[.allow] = allow
                    return response
                }
            }
        }
    }
}
