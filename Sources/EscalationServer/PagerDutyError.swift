import HTTPTypes
import Hummingbird

/// A refused PagerDuty event, answered as PagerDuty does (`{"status": "invalid event", "message": "Event object is
/// invalid", "errors": […]}`) so stock clients report it, with this API's usual `error` text alongside.
struct PagerDutyError: HTTPResponseError, Sendable {
    /// The refusal in this API's terms.
    let refusal: APIError

    var status: HTTPResponse.Status { refusal.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let (word, message) =
            switch refusal.status.code {
            case 400, 422: ("invalid event", "Event object is invalid")
            case 401, 403: ("unauthorized", "The request is not authorised")
            case 413: ("invalid event", "Event object is too large")
            case 429: ("throttle event", "Requests for this routing key are being throttled")
            default: ("error", "The event was not processed")
            }
        var response = JSONResponse.make(status, PagerDutyRefusalBody(status: word, message: message, errors: [refusal.message], error: refusal.message))
        if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }
}
