import Foundation
import HTTPTypes
import Hummingbird

/// A refused Opsgenie request, answered as Opsgenie does (`{"message": …, "took": 0, "requestId": …}`), with this
/// API's usual `error` text alongside.
struct OpsgenieError: HTTPResponseError, Sendable {
    /// The refusal in this API's terms.
    let refusal: APIError

    var status: HTTPResponse.Status { refusal.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(
            status, OpsgenieRefusalBody(message: refusal.message, took: 0, requestId: UUID().uuidString.lowercased(), error: refusal.message))
        if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }
}
