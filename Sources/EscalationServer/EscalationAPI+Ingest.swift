import EscalationCore
import EscalationExecutor
import Hummingbird
import Logging

extension EscalationAPI {
    /// Runs an ingest route (events, webhooks, triggers); a refusal (4xx) is logged at warning level with its source,
    /// organisation (when known) and reason, and counted in `/metrics`, so an event that pages nobody leaves a trace.
    /// The log line holds the refusal's message, never the body or a key. `body` sets the organisation once known.
    func ingest(_ source: String, _ request: Request, _ body: (inout String?) async throws -> Response) async throws -> Response {
        var organisation: String?
        do {
            return try await body(&organisation)
        } catch let error as APIError where (400..<500).contains(error.status.code) {
            let reason = IngestRefusals.reason(for: error.status.code)
            await refusals.count(
                reason, organisation: organisation, source: source, status: Int(error.status.code), message: error.message, at: Self.wallClock())
            logger.warning(
                "ingest refused: \(error.message)",
                metadata: [
                    "source": "\(source)", "organisation": "\(organisation ?? "unknown")", "reason": "\(reason)", "status": "\(error.status.code)",
                    "path": "\(request.uri.path)",
                ])
            throw error
        }
    }

    /// Puts the organisation's change events of the last hour on the timeline of an incident that just opened.
    func noteRecentChanges(_ triggered: Executor.Triggered) async {
        guard triggered.created else { return }
        let now = Self.wallClock()
        if executor.knownQuiet(organisation: triggered.incident.organisation, now: now) { return }
        let recent: [(at: Instant, summary: String, source: String?)]
        do {
            recent = try await executor.recentChanges(organisation: triggered.incident.organisation, now: now)
        } catch {
            logger.error("recent changes could not be read", metadata: ["incident": "\(triggered.incident.id)", "error": "\(error)"])
            return
        }
        for change in recent {
            let minutes = now.seconds(since: change.at) / 60
            let text = "recent change \(minutes) min before: \(change.summary)\(change.source.map { " (from \($0))" } ?? "")"
            do {
                try await executor.note(incident: triggered.incident.id, kind: "change", text: text)
            } catch {
                logger.error("a recent change could not be put on the timeline", metadata: ["incident": "\(triggered.incident.id)", "error": "\(error)"])
            }
        }
    }
}
