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
}
