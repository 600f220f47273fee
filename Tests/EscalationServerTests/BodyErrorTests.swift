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
