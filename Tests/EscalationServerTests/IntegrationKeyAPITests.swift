import Crypto
import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPolicy
import EscalationServer
import EscalationStore
import EscalationTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Integration keys made and revoked over the API with the organisation's token: in force at once, written to the key
/// file as hashes only, each organisation seeing only its own.
@Suite("HTTP API: integration keys")
struct IntegrationKeyAPITests {
    @Test("POST makes a key that pages at once; GET lists ids, never keys; DELETE revokes it at once; another organisation cannot")
    func lifecycle() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("integration-keys").path
        var api = try APITests.api()
        api.integrationKeyFile = IntegrationKeyFile(path: path)
        try await Application(router: api.router()).test(.router) { client in
            let made = try await client.execute(
                uri: "/v1/integration-keys", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"policy":"outage"}"#)
            ) { response -> [String: Any] in
                #expect(response.status == .created)
                return APITests.json(response)
            }
            let key = try #require(made["key"] as? String)
            let id = try #require(made["id"] as? String)
            #expect(made["route"] as? String == "acme/outage")
            let file = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!file.contains(key) && file.contains(ServerConfiguration.hash(token: key)), "only the hash is written")
            let event = #"{"routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"Disk full","source":"db1","severity":"critical"}}"#
            try await client.execute(uri: "/v2/enqueue", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: event)) {
                #expect($0.status == .accepted, "the new key pages at once")
            }
            try await client.execute(uri: "/v1/integration-keys", method: .get, headers: APITests.headers("acme-token")) { response in
                let listed = String(buffer: response.body)
                #expect(listed.contains(id) && !listed.contains(key))
            }
            try await client.execute(uri: "/v1/integration-keys", method: .get, headers: APITests.headers("other-token")) {
                #expect(!String(buffer: $0.body).contains(id), "another organisation does not see it")
            }
            try await client.execute(uri: "/v1/integration-keys/\(id)", method: .delete, headers: APITests.headers("other-token")) {
                #expect($0.status == .notFound, "another organisation cannot revoke it")
            }
            try await client.execute(uri: "/v1/integration-keys/\(id)", method: .delete, headers: APITests.headers("acme-token")) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v2/enqueue", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: event)) {
                #expect($0.status != .accepted, "revoked at once")
            }
            try await client.execute(
                uri: "/v1/integration-keys", method: .post, headers: APITests.headers("acme-token"), body: ByteBuffer(string: #"{"policy":"nope"}"#)
            ) { #expect($0.status == .unprocessableContent) }
        }
    }

    @Test("without a key file the API says how to enable it")
    func noFile() async throws {
        try await Application(router: try APITests.api().router()).test(.router) { client in
            try await client.execute(uri: "/v1/integration-keys", method: .post, headers: APITests.headers("acme-token")) {
                #expect($0.status == .conflict)
                #expect(String(buffer: $0.body).contains("--integration-keys FILE"))
            }
        }
    }
}
