import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns a fault that is not the caller's (the store cannot write: disk full, database locked or read-only) into
/// `503 {"error": …}` with `Retry-After`, logged with its cause, instead of an empty 500. Nothing was recorded, so
/// the caller may send the same request again.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Where faults are logged.
    let logger: Logger
    /// Seconds a client should wait before retrying.
    let retryAfterSeconds: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error(
                "request failed on a server fault; answered 503", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            var response = JSONResponse.make(
                .serviceUnavailable,
                ["error": "the server cannot record this now (\(error)); nothing was recorded, retry in \(retryAfterSeconds)s"])
            response.headers[.retryAfter] = "\(retryAfterSeconds)"
            return response
        }
    }
}
