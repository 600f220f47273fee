import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small client for the Escalate HTTP API, used by `escalate trigger|ack|resolve|signal|incidents`.
public struct APIClient: Sendable {
    /// Server base URL, e.g. `http://127.0.0.1:8080`.
    public var server: String
    /// Bearer token.
    public var token: String

    /// Creates a client.
    public init(server: String, token: String) {
        self.server = server
        self.token = token
    }

    /// A response: status and body text.
    public struct Reply: Sendable {
        /// HTTP status.
        public var status: Int
        /// Body text.
        public var body: String
        /// Whether the status is 2xx.
        public var ok: Bool { (200..<300).contains(status) }
        /// The `error` of a JSON error body, else the body.
        public var message: String {
            guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let error = object["error"] as? String
            else { return body }
            return error
        }
    }

    /// Why a request could not be made at all.
    public struct TransportError: Error, CustomStringConvertible, Sendable {
        /// What happened.
        public var description: String
    }

    /// Sends a request with an optional JSON body.
    public func send(_ method: String, _ path: String, json: [String: Any]? = nil) async throws(TransportError) -> Reply {
        guard let url = URL(string: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
            throw TransportError(description: "'\(server)\(path)' is not a URL; --server looks like http://127.0.0.1:8080")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 30
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return Reply(status: status, body: String(decoding: data, as: UTF8.self))
        } catch {
            throw TransportError(description: "cannot reach \(server): \(error.localizedDescription); is `escalate serve` running there?")
        }
    }

    /// What listing every incident gave: the incidents (as JSON objects, newest first), or the reply that refused a page.
    public enum Listing {
        /// Every page was read.
        case incidents([[String: Any]])
        /// The server refused a page (a 4xx or 5xx), with its reply.
        case refused(Reply)
    }

    /// Lists every incident of the token's organisation (optionally of one status), following `next_cursor` from page
    /// to page (`pageSize` per request, 1…500).
    public func incidents(status: String? = nil, pageSize: Int = 500) async throws(TransportError) -> Listing {
        var all: [[String: Any]] = []
        var cursor: String?
        var seen: Set<String> = []
        let filter = status.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) }.map { "&status=\($0)" } ?? ""
        repeat {
            let after = cursor.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) }.map { "&cursor=\($0)" } ?? ""
            let reply = try await send("GET", "/v1/incidents?limit=\(pageSize)\(filter)\(after)")
            guard reply.ok else { return .refused(reply) }
            guard let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any],
                let page = object["incidents"] as? [[String: Any]]
            else {
                throw TransportError(description: "the server's incident listing is not the JSON expected: \(reply.body.prefix(200))")
            }
            all += page
            cursor = object["next_cursor"] as? String
            // A server that hands back a cursor twice would loop for ever.
            if let cursor, !seen.insert(cursor).inserted { throw TransportError(description: "the server gave the cursor '\(cursor)' twice") }
        } while cursor != nil
        return .incidents(all)
    }
}

extension CharacterSet {
    /// What may stand unescaped in a query parameter's value.
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))
}
