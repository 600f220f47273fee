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
            await refusals.count(reason)
            logger.warning(
                "ingest refused: \(error.message)",
                metadata: [
                    "source": "\(source)", "organisation": "\(organisation ?? "unknown")", "reason": "\(reason)", "status": "\(error.status.code)",
                    "path": "\(request.uri.path)",
                ])
            throw error
        }
    }
}
