import EscalationClient
import EscalationCore
import EscalationEngine
import EscalationExecutor
import EscalationServer
import EscalationStore
import EscalationTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /v1/incidents` pages with an opaque cursor (`limit`, `cursor`, `status`), and the client follows the pages.
@Suite("Incident listing pages")
struct IncidentPagingTests {
    /// A store with `count` acme incidents `acme-newer-0…`, every third resolved.
    static func store(_ count: Int) async throws -> InMemoryIncidentStore {
        let store = InMemoryIncidentStore()
        try await DedupLookupTests.addNewer(count, to: store)
        for index in stride(from: 0, to: count, by: 3) {
            guard var incident = try await store.incident(id: "acme-newer-\(index)") else { continue }
            incident.state.status = .resolved
            try await store.commit(StoreChange(incident: incident, log: [], addTimers: [], removeTimers: [], outbox: []))
        }
        return store
    }

    static func ids(_ response: TestResponse) -> [String] {
        (APITests.json(response)["incidents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    static func link(_ response: TestResponse) -> String? { HTTPField.Name("Link").flatMap { response.headers[$0] } }

    @Test("pages follow next_cursor and the Link header to the end; the last has next_cursor null and no Link")
    func followPages() async throws {
        let app = Application(router: try DedupLookupTests.api(store: try await Self.store(7)).router())
        let headers = APITests.headers("acme-token")
        try await app.test(.router) { client in
            var pages: [[String]] = []
            var uri = "/v1/incidents?limit=3"
            while true {
                let (ids, next, link) = try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    let body = APITests.json(response)
                    #expect(body.keys.contains("next_cursor"), "next_cursor is always in the body")
                    return (Self.ids(response), body["next_cursor"] as? String, Self.link(response))
                }
                pages.append(ids)
                guard let next else {
                    #expect(link == nil)
                    break
                }
                #expect(link == "</v1/incidents?limit=3&cursor=\(next)>; rel=\"next\"")
                // The Link header's URL is the next page.
                uri = String(link?.dropFirst().prefix { $0 != ">" } ?? "")
            }
            let expected = (0..<7).reversed().map { "acme-newer-\($0)" }
            #expect(pages == [Array(expected[0..<3]), Array(expected[3..<6]), [expected[6]]])
            // Without limit a page holds 100; status filters, and the cursor keeps the filter's place.
            try await client.execute(uri: "/v1/incidents", method: .get, headers: headers) {
                #expect(Self.ids($0) == expected)
                #expect(APITests.json($0)["next_cursor"] is NSNull)
            }
            let resolved = try await client.execute(uri: "/v1/incidents?status=resolved&limit=2", method: .get, headers: headers) { response in
                #expect(Self.ids(response) == ["acme-newer-6", "acme-newer-3"])
                #expect(Self.link(response)?.contains("status=resolved") == true)
                return APITests.json(response)["next_cursor"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/incidents?status=resolved&limit=2&cursor=\(resolved)", method: .get, headers: headers) {
                #expect(Self.ids($0) == ["acme-newer-0"])
            }
            try await client.execute(uri: "/v1/incidents?status=open&limit=500", method: .get, headers: headers) {
                #expect(Self.ids($0) == ["acme-newer-5", "acme-newer-4", "acme-newer-2", "acme-newer-1"])
            }
        }
    }

    @Test("a bad limit, cursor or status is a 400 that says what is allowed", arguments: [
        ("limit=0", "limit must be a whole number from 1 to 500, got '0'"), ("limit=501", "from 1 to 500, got '501'"),
        ("limit=ten", "got 'ten'"), ("limit=", "got ''"), ("cursor=nonsense", "cursor 'nonsense' is not a cursor this server gave"),
        ("cursor=aTE6LTU", "is not a cursor this server gave"), ("status=closed", "status must be open, acknowledged or resolved, got 'closed'"),
    ])
    func badParameters(_ query: String, _ message: String) async throws {
        let app = Application(router: try DedupLookupTests.api(store: InMemoryIncidentStore()).router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/incidents?\(query)", method: .get, headers: APITests.headers("acme-token")) { response in
                #expect(response.status == .badRequest)
                let error = APITests.json(response)["error"] as? String ?? ""
                #expect(error.contains(message), "\(error)")
            }
        }
    }

    @Test("a cursor stays valid while newer incidents arrive: they appear on the first page, never twice")
    func newerIncidentsDuringPaging() async throws {
        let store = try await Self.store(5)
        let app = Application(router: try DedupLookupTests.api(store: store).router())
        let headers = APITests.headers("acme-token")
        try await app.test(.router) { client in
            let cursor = try await client.execute(uri: "/v1/incidents?limit=2", method: .get, headers: headers) { response in
                #expect(Self.ids(response) == ["acme-newer-4", "acme-newer-3"])
                return APITests.json(response)["next_cursor"] as? String ?? ""
            }
            let state = IncidentState(id: "acme-late", policy: "outage", version: "v1", title: "late", dedupKey: nil, fields: [:], triggeredAt: Instant(seconds: 1_795_100_000))
            let late = StoredIncident(id: "acme-late", organisation: "acme", state: state, createdAt: state.triggeredAt, updatedAt: state.triggeredAt)
            try await store.commit(StoreChange(incident: late, log: [], addTimers: [], removeTimers: [], outbox: []))
            try await client.execute(uri: "/v1/incidents?limit=10&cursor=\(cursor)", method: .get, headers: headers) {
                #expect(Self.ids($0) == ["acme-newer-2", "acme-newer-1", "acme-newer-0"])
            }
        }
    }

    @Test("the client (escalate incidents) follows every page over HTTP")
    func clientFollowsPages() async throws {
        let router = try DedupLookupTests.api(store: try await Self.store(1_203)).router()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let api = APIClient(server: "http://127.0.0.1:\(port)", token: "acme-token")
            guard case .incidents(let all) = try await api.incidents(pageSize: 500) else {
                Issue.record("the listing was refused")
                return
            }
            #expect(all.count == 1_203)
            #expect(Set(all.compactMap { $0["id"] as? String }).count == 1_203, "no incident listed twice")
            guard case .incidents(let open) = try await api.incidents(status: "open", pageSize: 100) else {
                Issue.record("the open listing was refused")
                return
            }
            #expect(open.count == 1_203 - 401)
            guard case .refused(let reply) = try await APIClient(server: "http://127.0.0.1:\(port)", token: "wrong").incidents() else {
                Issue.record("a wrong token was not refused")
                return
            }
            #expect(reply.status == 401)
        }
    }
}
