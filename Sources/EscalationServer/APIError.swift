import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error the API answers with a status and a JSON body `{"error": "…"}` saying what is wrong and how to fix it.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// What is wrong.
    public var message: String
    /// Seconds the client should wait before sending again (a `Retry-After` header), for 429 and 503.
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(status, ["error": message])
        if let retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }

    /// A decoding error turned into a 400 that names the field.
    static func decoding(_ error: any Error, what: String) -> APIError {
        if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                return APIError(.badRequest, "\(what): missing field '\(path(context.codingPath + [key]))'")
            case .typeMismatch(let type, let context):
                guard !context.codingPath.isEmpty else { return APIError(.badRequest, "\(what): the body must be a JSON object, e.g. {\"title\": \"Disk full\"}") }
                return APIError(.badRequest, "\(what): field '\(path(context.codingPath))' must be \(describe(type))")
            case .valueNotFound(let type, let context):
                guard !context.codingPath.isEmpty else { return APIError(.badRequest, "\(what): the body must be a JSON object, not null") }
                return APIError(.badRequest, "\(what): field '\(path(context.codingPath))' must be \(describe(type)), not null")
            case .dataCorrupted(let context) where !context.codingPath.isEmpty:
                // Valid JSON with a value of the wrong form, e.g. {"minutes": 1.5} where a whole number is needed.
                return APIError(.badRequest, "\(what): field '\(path(context.codingPath))' has a value of the wrong form (\(context.debugDescription))")
            case .dataCorrupted(let context):
                return APIError(.badRequest, "\(what): the body is not valid JSON (\(context.debugDescription))")
            @unknown default: break
            }
        }
        return APIError(.badRequest, "\(what): the body is not valid JSON")
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a \(type)".replacingOccurrences(of: "Dictionary<String, ", with: "map of ")
        }
    }
}

/// JSON responses with sorted keys.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data + Data("\n".utf8))))
    }

    /// A response of JSON already written as `make` would write it (see `JSONWriter`), with the final newline.
    static func make(_ status: HTTPResponse.Status, json: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 1)
        buffer.writeBytes(json)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, type: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
