import EscalationCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Bodies of the wrong shape get a 400 that says what is wrong with them, not "not valid JSON".
@Suite("HTTP API: body errors")
struct BodyErrorTests {
    @Test("a fractional minutes, a null body and an array body each name their problem", arguments: [
        (#"{"minutes": 1.5}"#, "minutes must be a whole number"), ("null", "must be a JSON object"), ("[1, 2]", "must be a JSON object"),
        (#"{"minutes": "ten"}"#, "field 'minutes' must be a number"),
    ])
    func shapes(body: String, expected: String) async throws {
        let app = Application(router: try APITests.api().router())
        try await app.test(.router) { client in
            let id = try await client.execute(
                uri: "/v1/incidents", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"title":"x"}"#)
            ) { APITests.json($0)["id"] as? String ?? "" }
            try await client.execute(
                uri: "/v1/incidents/\(id)/snooze", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                let error = APITests.json(response)["error"] as? String ?? ""
                #expect(error.contains(expected), "\(error)")
                #expect(!error.contains("not valid JSON"))
            }
        }
    }
}

/// Content-Type and length: JSON is required where a body is; a missing Content-Type is taken as JSON.
@Suite("HTTP API: media type and length")
struct MediaTypeTests {
    static func trigger(_ contentType: String?, body: String?) async throws -> (HTTPResponse.Status, String) {
        let app = Application(router: try APITests.api().router())
        var headers = APITests.headers("acme-token")
        headers[.contentType] = contentType
        let sent = headers
        return try await app.test(.router) { client in
            try await client.execute(uri: "/v1/incidents", method: .post, headers: sent, body: body.map { ByteBuffer(string: $0) }) {
                ($0.status, APITests.json($0)["error"] as? String ?? "")
            }
        }
    }

    @Test("a body sent as text/plain or a form is 415 naming application/json", arguments: ["text/plain", "application/x-www-form-urlencoded"])
    func notJSON(type: String) async throws {
        let (status, error) = try await Self.trigger(type, body: #"{"title": "x"}"#)
        #expect(status == .unsupportedMediaType)
        #expect(error.contains("Content-Type: application/json"), "\(error)")
    }

    @Test("application/json with a charset, a +json type, or no Content-Type at all are taken", arguments: [
        "application/json; charset=utf-8", "application/vnd.api+json", nil,
    ])
    func json(type: String?) async throws {
        let (status, error) = try await Self.trigger(type, body: #"{"title": "x"}"#)
        #expect(status.code < 300, "\(error)")
    }

    @Test("a required body sent without any length is 411")
    func lengthRequired() async throws {
        let (status, error) = try await Self.trigger("application/json", body: nil)
        #expect(status == .lengthRequired)
        #expect(error.contains("Content-Length"))
    }
}
