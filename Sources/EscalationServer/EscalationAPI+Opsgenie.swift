import EscalationCore
import EscalationEngine
import EscalationExecutor
import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension EscalationAPI {
    /// The Opsgenie Alert API v2 subset migrations need: create (`POST /v2/alerts`: `message` the title, `alias` the
    /// dedup key, `priority`, `details`, `tags`, `entity`, `source`, `description` the fields), and acknowledge and
    /// close by alias or id (`POST /v2/alerts/{identifier}/acknowledge|close?identifierType=alias|id`), authenticated
    /// by `Authorization: GenieKey KEY` where KEY is an integration key. Answers as Opsgenie does: 202
    /// `{"result": "Request will be processed", "took", "requestId"}`; acting on an unknown or closed alert is a
    /// 202 too (Opsgenie processes requests later), logged.
    func opsgenieCreate(_ request: Request) async throws -> Response {
        try await opsgenieAnswers {
            try await ingest("opsgenie", request) { organisation in
                var request = request
                let route = try await opsgenieRoute(request)
                organisation = route.organisation
                guard let alert: OpsgenieAlert = try await decode(&request, what: "alert") else { throw APIError(.unprocessableContent, "Message can not be empty.") }
                let message = alert.message.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !message.isEmpty else { throw APIError(.unprocessableContent, "Message can not be empty.") }
                if let priority = alert.priority, !["P1", "P2", "P3", "P4", "P5"].contains(priority) {
                    throw APIError(.unprocessableContent, "Priority should be one of [P1, P2, P3, P4, P5], got '\(priority)'.")
                }
                var fields = (alert.details ?? [:]).mapValues(\.text)
                let given: [(String, String?)] = [
                    ("priority", alert.priority ?? "P3"), ("tags", alert.tags?.joined(separator: ", ")), ("entity", alert.entity), ("source", alert.source),
                    ("description", alert.description), ("summary", message),
                ]
                for (key, value) in given {
                    if let value, fields[key] == nil { fields[key] = value }
                }
                let alias = alert.alias.flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
                let reception = try await run {
                    try await executor.receive(organisation: route.organisation, policy: route.policy, title: message, fields: fields, dedupKey: alias)
                }
                if case .opened(let triggered) = reception { await noteRecentChanges(triggered) }
                return Self.opsgenieAccepted()
            }
        }
    }

    /// `POST /v2/alerts/{identifier}/acknowledge` and `/close`.
    func opsgenieAction(_ request: Request, _ context: BasicRequestContext, close: Bool) async throws -> Response {
        try await opsgenieAnswers {
            try await ingest("opsgenie", request) { organisation in
                var request = request
                let route = try await opsgenieRoute(request)
                organisation = route.organisation
                let identifier = try context.parameters.require("identifier")
                let body: OpsgenieAction = try await decode(&request, what: close ? "close" : "acknowledge", allowEmpty: true) ?? OpsgenieAction()
                let type = request.uri.queryParameters["identifierType"].map(String.init) ?? "id"
                guard ["id", "alias", "tiny"].contains(type) else {
                    throw APIError(.unprocessableContent, "identifierType should be one of [id, alias, tiny], got '\(type)'.")
                }
                let incident =
                    type == "alias"
                    ? try await executor.openIncident(organisation: route.organisation, dedupKey: identifier)
                    : try await executor.incident(identifier).flatMap { $0.organisation == route.organisation && $0.state.status != .resolved ? $0 : nil }
                let metadata: Logger.Metadata = ["organisation": "\(route.organisation)", "identifier": "\(identifier)", "identifier_type": "\(type)"]
                guard let incident else {
                    logger.notice("\(close ? "close" : "acknowledge") for an alert with no open incident (unknown or already closed); answered 202", metadata: metadata)
                    return Self.opsgenieAccepted()
                }
                let who = body.user ?? body.source ?? "opsgenie-api"
                let event: EngineEvent = close ? .resolve(by: who, scope: nil, outcome: nil) : .acknowledge(by: who)
                do {
                    _ = try await executor.handle(incident: incident.id, event: event)
                } catch let error as ExecutorError where error.kind == .conflict || error.kind == .notFound {
                    logger.notice("\(close ? "close" : "acknowledge") changed nothing (\(error.description)); answered 202", metadata: metadata)
                }
                if let note = body.note, !note.isEmpty {
                    try await executor.note(incident: incident.id, text: "note from \(who): \(note)")
                }
                return Self.opsgenieAccepted()
            }
        }
    }

    /// The route of `Authorization: GenieKey KEY` (KEY an integration key), within its events a minute.
    func opsgenieRoute(_ request: Request) async throws -> IntegrationRoute {
        guard let header = request.headers[.authorization], header.hasPrefix("GenieKey ") else {
            throw APIError(.unauthorized, "send 'Authorization: GenieKey KEY' with an integration key of this server")
        }
        let key = String(header.dropFirst("GenieKey ".count)).trimmingCharacters(in: .whitespaces)
        guard let route = await integrationKeys.route(forKey: key) else {
            throw APIError(.unauthorized, "the GenieKey is not an integration key of this server (ask its operator for one)")
        }
        if let wait = await eventLimiter.admit("key:" + ServerConfiguration.hash(token: key), now: Self.wallClock(), limit: configuration.eventsPerMinute) {
            throw APIError(.tooManyRequests, "more than \(configuration.eventsPerMinute) requests a minute with this key; send again in \(wait) s", retryAfter: wait)
        }
        return route
    }

    /// Turns refusals into Opsgenie's error bodies.
    func opsgenieAnswers(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            throw OpsgenieError(refusal: error)
        }
    }

    static func opsgenieAccepted() -> Response {
        JSONResponse.make(.accepted, OpsgenieAccepted(result: "Request will be processed", took: 0.0, requestId: UUID().uuidString.lowercased()))
    }
}
