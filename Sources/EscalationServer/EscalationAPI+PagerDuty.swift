import EscalationCore
import EscalationEngine
import EscalationExecutor
import Foundation
import Hummingbird
import Logging

extension EscalationAPI {
    /// `POST /v2/enqueue` (and its alias `/v1/events`): PagerDuty Events API v2. The `routing_key` is an integration
    /// key (no Authorization header); a bearer token with `routing_key` `ORG[/POLICY]` is still accepted. Answers as
    /// PagerDuty does: 202 `{status, message, dedup_key}`, 400 `{status: "invalid event", message, errors}`;
    /// acknowledging or resolving a key with no open incident is a 202, logged.
    func pagerDuty(_ request: Request) async throws -> Response {
        try await pagerDutyAnswers {
            try await ingest("pagerduty", request) { organisation in
                var request = request
                guard let event: PagerDutyEvent = try await decode(&request, what: "event") else { throw APIError(.badRequest, "event: empty body") }
                let route = try await pagerDutyRoute(request, routingKey: event.routingKey)
                organisation = route.organisation
                return try await pagerDuty(event, route: route)
            }
        }
    }

    /// `POST /v2/change/enqueue`: a PagerDuty change event (a deploy, a config change). It pages nobody; it is
    /// logged with its organisation, source and summary, shown on the timeline of the organisation's incidents that
    /// open within the next hour, and answered 202 as PagerDuty does.
    func pagerDutyChange(_ request: Request) async throws -> Response {
        try await pagerDutyAnswers {
            try await ingest("pagerduty-change", request) { organisation in
                var request = request
                guard let event: PagerDutyChangeEvent = try await decode(&request, what: "change event") else {
                    throw APIError(.badRequest, "change event: empty body")
                }
                let route = try await pagerDutyRoute(request, routingKey: event.routingKey)
                organisation = route.organisation
                guard !event.payload.summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw APIError(.badRequest, "'payload.summary' is missing or blank")
                }
                try await run {
                    try await executor.recordChange(
                        organisation: route.organisation, summary: event.payload.summary, source: event.payload.source, at: Self.wallClock())
                }
                logger.notice(
                    "change event: \(event.payload.summary)",
                    metadata: [
                        "organisation": "\(route.organisation)", "source": "\(event.payload.source ?? "unknown")",
                        "timestamp": "\(event.payload.timestamp ?? "none")", "links": "\(event.links?.compactMap(\.href).joined(separator: " ") ?? "")",
                    ])
                return JSONResponse.make(.accepted, ["status": "success", "message": "Change event processed"])
            }
        }
    }

    /// Where an event goes: the integration key's route, else (an older form) the bearer token's organisation with
    /// `routing_key` `ORG[/POLICY]`. Neither message nor log ever holds the routing key (it may be a secret).
    /// Each sender (an integration key, by its hash; or a bearer token's organisation) may send
    /// `configuration.eventsPerMinute` events a minute; more are a 429 with `Retry-After`.
    func pagerDutyRoute(_ request: Request, routingKey: String) async throws -> IntegrationRoute {
        let route: IntegrationRoute
        let sender: String
        if let keyed = await integrationKeys.route(forKey: routingKey) {
            route = keyed
            sender = "key:" + ServerConfiguration.hash(token: routingKey)
        } else {
            guard request.headers[.authorization] != nil else {
                throw APIError(.badRequest, "Invalid routing key: it is not an integration key of this server (ask its operator for one)")
            }
            let organisation = try authorise(request)
            guard let named = IntegrationRoute(parsing: routingKey), named.organisation == organisation else {
                throw APIError(
                    .forbidden, "with a bearer token, routing_key must be '\(organisation)' or '\(organisation)/POLICY' (this token's organisation); or send an integration key")
            }
            route = named
            sender = "organisation:" + organisation
        }
        if let wait = await eventLimiter.admit(sender, now: Self.wallClock(), limit: configuration.eventsPerMinute) {
            throw APIError(
                .tooManyRequests, "more than \(configuration.eventsPerMinute) events a minute from this sender; send again in \(wait) s", retryAfter: wait)
        }
        return route
    }

    /// Turns refusals into PagerDuty's error bodies.
    func pagerDutyAnswers(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            throw PagerDutyError(refusal: error)
        }
    }

    func pagerDuty(_ event: PagerDutyEvent, route: IntegrationRoute) async throws -> Response {
        let organisation = route.organisation
        switch event.eventAction {
        case "trigger":
            guard let payload = event.payload else { throw APIError(.badRequest, "'payload' is missing; a trigger needs at least 'payload.summary'") }
            guard !payload.summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIError(.badRequest, "'payload.summary' is missing or blank") }
            if let severity = payload.severity, !["critical", "error", "warning", "info"].contains(severity) {
                throw APIError(.badRequest, "'payload.severity' must be critical, error, warning or info, got '\(severity)'")
            }
            var fields = (payload.customDetails ?? [:]).mapValues(\.text)
            fields["summary"] = fields["summary"] ?? payload.summary
            for (key, value) in [("source", payload.source), ("severity", payload.severity), ("component", payload.component), ("group", payload.group), ("class", payload.class)] {
                if let value, fields[key] == nil { fields[key] = value }
            }
            let dedupKey = event.dedupKey ?? UUID().uuidString.lowercased()
            let reception = try await run {
                try await executor.receive(organisation: organisation, policy: route.policy, title: payload.summary, fields: fields, dedupKey: dedupKey)
            }
            switch reception {
            case .opened(let triggered):
                await noteRecentChanges(triggered)
                let message = triggered.created ? "Event processed" : triggered.appended ? "Report appended" : "Event deduplicated"
                return JSONResponse.make(.accepted, ["status": "success", "message": message, "dedup_key": dedupKey, "incident": triggered.incident.id])
            case .counted(let policy, let admission):
                return JSONResponse.make(.accepted, ["status": "success", "message": "Event processed; \(admission)", "dedup_key": dedupKey, "policy": policy])
            }
        case "acknowledge", "resolve":
            guard let dedupKey = event.dedupKey, !dedupKey.isEmpty else { throw APIError(.badRequest, "'dedup_key' is missing or blank; \(event.eventAction) needs it") }
            let metadata: Logger.Metadata = ["organisation": "\(organisation)", "dedup_key": "\(dedupKey)", "action": "\(event.eventAction)"]
            guard let incident = try await executor.openIncident(organisation: organisation, dedupKey: dedupKey) else {
                // PagerDuty answers 202 here, and stock clients raise on anything else.
                logger.notice("\(event.eventAction) for a dedup key with no open incident (unknown or already resolved); answered 202", metadata: metadata)
                return JSONResponse.make(.accepted, ["status": "success", "message": "Event processed", "dedup_key": dedupKey])
            }
            let engineEvent: EngineEvent =
                event.eventAction == "acknowledge" ? .acknowledge(by: "events-api") : .resolve(by: "events-api", scope: nil, outcome: nil)
            do {
                _ = try await executor.handle(incident: incident.id, event: engineEvent)
            } catch let error as ExecutorError where error.kind == .conflict || error.kind == .notFound {
                logger.notice("\(event.eventAction) changed nothing (\(error.description)); answered 202", metadata: metadata)
            }
            return JSONResponse.make(.accepted, ["status": "success", "message": "Event processed", "dedup_key": dedupKey, "incident": incident.id])
        default:
            throw APIError(.badRequest, "'event_action' must be trigger, acknowledge or resolve, got '\(event.eventAction)'")
        }
    }
}
