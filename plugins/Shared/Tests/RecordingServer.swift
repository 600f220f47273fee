// Shared test source: linked (symlink) into every HTTP plugin's test target.

import EscalationChannel
import Foundation
import Testing

/// A real HTTP server on 127.0.0.1 that records every request: scripts/testing/recording_http_server.py run by
/// python3. It stops when `stop()` is called, when the test process exits (its standard input closes), or after
/// ten minutes.
final class RecordingServer: @unchecked Sendable {
    /// One request as the server saw it.
    struct Request: Decodable, Sendable {
        /// The method.
        var method: String
        /// The path with the query.
        var path: String
        /// Headers by lower-case name.
        var headers: [String: String]
        /// The body as text.
        var body: String

        /// The body as a JSON object.
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }

        /// The body as form fields (`application/x-www-form-urlencoded`).
        var form: [String: String] {
            var fields: [String: String] = [:]
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                fields[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            return fields
        }
    }

    /// A canned answer for requests matching a method and path prefix (all optional), `times` times at most; with
    /// `hold`, the answer waits until `release()` is called.
    struct Rule: Encodable, Sendable {
        var method: String?
        var path: String?
        var status: Int?
        var body: String?
        var delay: Double?
        var hold: Bool?
        var times: Int?

        init(
            method: String? = nil, path: String? = nil, status: Int? = nil, body: String? = nil, delay: Double? = nil, hold: Bool? = nil,
            times: Int? = nil
        ) {
            self.method = method
            self.path = path
            self.status = status
            self.body = body
            self.delay = delay
            self.hold = hold
            self.times = times
        }
    }

    /// The port it listens on.
    let port: Int
    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }

    private let helper: PythonHelper
    private let recordFile: URL

    private init(helper: PythonHelper, recordFile: URL) {
        self.port = helper.port
        self.helper = helper
        self.recordFile = recordFile
    }

    deinit { stop() }

    /// Starts a server answering `status` with `body` after `delay` seconds, unless a rule says otherwise.
    static func start(status: Int = 200, body: String = "", delay: Double = 0, rules: [Rule] = []) async throws -> RecordingServer {
        let recordFile = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-http-\(UUID().uuidString).jsonl")
        var arguments = [recordFile.path, "--status", "\(status)", "--body", body, "--delay", "\(delay)"]
        for rule in rules {
            arguments += ["--rule", String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)]
        }
        let helper = try await PythonHelper.start(
            script: "recording_http_server.py", arguments: arguments, failure: "the recording HTTP server did not start (is python3 installed?)")
        return RecordingServer(helper: helper, recordFile: recordFile)
    }

    /// A port nothing listens on: a server's, after it stopped.
    static func closedPort() async throws -> Int {
        let server = try await start()
        server.stop()
        return server.port
    }

    /// The requests recorded so far, in arrival order.
    func requests() throws -> [Request] {
        let text = (try? String(contentsOf: recordFile, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Waits until at least `count` requests have arrived (at most thirty seconds: generous, as other tests share the machine).
    func waitForRequests(_ count: Int) async throws {
        for _ in 0..<3_000 {
            if try requests().count >= count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PythonHelper.HelperError("expected \(count) requests, got \(try requests().count)")
    }

    /// Lets the answers a `hold` rule keeps go (and any later ones a `hold` rule answers).
    func release() throws {
        try Data().write(to: releaseFile)
    }

    private var releaseFile: URL { URL(fileURLWithPath: recordFile.path + ".release") }

    /// Stops the server and removes its record.
    func stop() {
        helper.stop()
        try? FileManager.default.removeItem(at: recordFile)
        try? FileManager.default.removeItem(at: releaseFile)
    }
}

extension RecordingServer {
    /// The failure contract every HTTP plugin keeps: a closed port is a retryable "connection refused", and a server
    /// slower than the channel's 1 s timeout a retryable "did not answer within 1s" (the server takes 30 s, far past
    /// the timeout even on a busy machine; the plugin gives up after 1 s and the server is stopped). Each closure sends through a
    /// channel whose API is at the given base URL (`slow` defaults to `refused`).
    static func expectRefusedAndSlowAreRetryable(
        refused: (String) async throws -> DeliveryResult, slow: ((String) async throws -> DeliveryResult)? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let port = try await closedPort()
        guard case .failed(let failure) = try await refused("http://127.0.0.1:\(port)") else {
            Issue.record("expected a failure", sourceLocation: sourceLocation)
            return
        }
        #expect(failure.retryable && failure.reason.contains("connection refused"), sourceLocation: sourceLocation)

        let server = try await start(delay: 30)
        defer { server.stop() }
        let result: DeliveryResult
        if let slow { result = try await slow(server.url) } else { result = try await refused(server.url) }
        guard case .failed(let late) = result else {
            Issue.record("expected a failure", sourceLocation: sourceLocation)
            return
        }
        #expect(late.retryable && late.reason.contains("did not answer within 1s"), sourceLocation: sourceLocation)
    }
}
