import EscalationCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// No number in a request can trap the server: a snooze outside 1 minute … 30 days is a 400 that says the range,
/// and the server keeps answering.
@Suite("HTTP API: snooze bounds")
struct SnoozeBoundsTests {
    @Test("huge, zero, negative and far-future snoozes answer 400 with the range; a valid one still works", arguments: [
        #"{"minutes": 153722867280912930}"#, #"{"minutes": 0}"#, #"{"minutes": -5}"#, #"{"minutes": 43201}"#,
        #"{"until": "9999-12-31T23:59Z"}"#,
    ])
    func bounds(_ body: String) async throws {
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
                #expect(error.contains("30 days"), "\(error)")
            }
            try await client.execute(
                uri: "/v1/incidents/\(id)/snooze", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"minutes": 30}"#)
            ) { #expect($0.status == .ok) }
        }
    }

    @Test("instant arithmetic saturates instead of trapping")
    func saturates() {
        #expect(Instant(seconds: .max - 1).adding(seconds: 10).seconds == .max)
        #expect(Instant(seconds: .min + 1).adding(seconds: -10).seconds == .min)
        #expect(Instant(seconds: .max).seconds(since: Instant(seconds: -10)) == .max)
        #expect(Instant(seconds: 100).adding(seconds: 20).seconds == 120)
    }
}
