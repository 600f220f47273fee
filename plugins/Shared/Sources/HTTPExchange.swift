// Shared source: this file is linked (symlink) into every HTTP plugin module, each of which compiles its own
// internal copy, so the plugins share one implementation without depending on each other or on a support module.

import AsyncHTTPClient
import EscalationChannel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// How an HTTP plugin talks to its service: sends one request with a deadline and maps the outcome to a delivery.
/// 2xx is success; 429, 5xx, timeouts and connection failures are retryable; other statuses are not.
/// Every failure reason names the service and host only (never a path, header or secret) and has secrets masked.
struct HTTPExchange: Sendable {
    /// The plugin module's one client, for the life of the process (so it is never shut down while in use):
    /// no redirects (a redirect must not carry signed bodies or credentials elsewhere), and a refused connection
    /// fails at once instead of being retried until the deadline (the engine's outbox does the retrying).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The most response body read (more is cut off; only error excerpts and ids are read from it).
    static let maximumBody = 1 << 20

    /// A response with a 2xx status.
    struct Response: Sendable {
        /// The status code.
        var status: Int
        /// The body bytes (at most `maximumBody`).
        var body: Data

        /// A top-level string or number of a JSON object body, as text.
        func field(_ key: String) -> String? {
            switch value(key) {
            case let text as String: return text
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }

        /// A top-level boolean of a JSON object body.
        func flag(_ key: String) -> Bool? { value(key) as? Bool }

        private func value(_ key: String) -> Any? {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?[key]
        }
    }

    /// The service, for failure reasons ("Slack", "the webhook").
    var service: String
    /// How long one request may take, connection included.
    var timeout: Duration
    /// Values masked in every failure reason (resolved secrets).
    var secrets: [String]

    /// Sends a request; a 2xx response is a success, anything else a typed failure.
    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async -> Result<Response, DeliveryFailure> {
        let host = URLComponents(string: url)?.host ?? "?"
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "escalate")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await Self.client.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
            let bytes: ByteBuffer
            do {
                bytes = try await response.body.collect(upTo: Self.maximumBody)
            } catch is NIOTooManyBytesError {
                bytes = ByteBuffer()
            }
            let status = Int(response.status.code)
            let data = Data(bytes.readableBytesView)
            if (200..<300).contains(status) { return .success(Response(status: status, body: data)) }
            let retryable = status == 429 || status >= 500
            var reason = "\(service) (\(host)) answered HTTP \(status)"
            if !response.status.reasonPhrase.isEmpty { reason += " \(response.status.reasonPhrase)" }
            if let excerpt = Self.excerpt(data) { reason += ": \(excerpt)" }
            return .failure(failure(retryable: retryable, reason))
        } catch {
            return .failure(transportFailure(error, host: host))
        }
    }

    /// A failure with secrets masked.
    func failure(retryable: Bool, _ reason: String) -> DeliveryFailure {
        DeliveryFailure(retryable: retryable, reason: mask(reason))
    }

    /// Replaces every secret value in text with `***` (longest first, so no part of a longer one is left).
    func mask(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// Maps a transport error (timeout, refused connection, bad URL) to a failure.
    private func transportFailure(_ error: any Error, host: String) -> DeliveryFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout:
                return failure(retryable: true, "\(service) (\(host)) did not answer within \(Self.describe(timeout))")
            case .invalidURL, .emptyHost, .emptyScheme:
                return failure(retryable: false, "the \(service) URL is not a valid http(s) URL")
            case .remoteConnectionClosed:
                return failure(retryable: true, "\(service) (\(host)) closed the connection before answering")
            default:
                return failure(retryable: true, "could not deliver to \(service) (\(host)): \(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            let refused = error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
            let what = refused ? "connection refused" : "could not connect"
            return failure(retryable: true, "could not reach \(service) at \(host):\(error.port): \(what)")
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return failure(retryable: true, "could not reach \(service) at \(host): connection refused")
        }
        return failure(retryable: true, "could not reach \(service) (\(host)): \(error)")
    }

    /// What to mask for a URL that is itself a secret (an incoming-webhook URL): the URL, its path and query, and
    /// every path segment or credential of 8 characters or more (the token part, should a server echo it alone).
    static func secretParts(ofURL url: String) -> [String] {
        guard let components = URLComponents(string: url) else { return [url] }
        var parts = [url, components.path, components.query ?? "", components.user ?? "", components.password ?? ""]
        parts += components.path.split(separator: "/").map(String.init)
        return parts.filter { $0.count >= 8 }.sorted { $0.count > $1.count }
    }

    /// The first 200 characters of a body on one line, or nil when empty.
    static func excerpt(_ data: Data) -> String? {
        let text = String(decoding: data.prefix(4_096), as: UTF8.self)
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !line.isEmpty else { return nil }
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    /// A duration as `10s` or `1.5s`.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18)s"
    }
}

extension Duration {
    /// The whole duration in nanoseconds.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
