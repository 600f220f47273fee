// Shared test source: linked (symlink) into every HTTP plugin's test target.

import Foundation

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

    /// A canned answer for requests matching a method and path prefix (all optional), `times` times at most.
    struct Rule: Encodable, Sendable {
        var method: String?
        var path: String?
        var status: Int?
        var body: String?
        var delay: Double?
        var times: Int?

        init(method: String? = nil, path: String? = nil, status: Int? = nil, body: String? = nil, delay: Double? = nil, times: Int? = nil) {
            self.method = method
            self.path = path
            self.status = status
            self.body = body
            self.delay = delay
            self.times = times
        }
    }

    /// The port it listens on.
    let port: Int
    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }

    private let process: Process
    private let input: Pipe
    private let recordFile: URL

    private init(port: Int, process: Process, input: Pipe, recordFile: URL) {
        self.port = port
        self.process = process
        self.input = input
        self.recordFile = recordFile
    }

    deinit { stop() }

    /// Starts a server answering `status` with `body` after `delay` seconds, unless a rule says otherwise.
    static func start(status: Int = 200, body: String = "", delay: Double = 0, rules: [Rule] = []) async throws -> RecordingServer {
        let script = try repositoryRoot().appendingPathComponent("scripts/testing/recording_http_server.py")
        let recordFile = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-http-\(UUID().uuidString).jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", script.path, recordFile.path, "--status", "\(status)", "--body", body, "--delay", "\(delay)"]
        for rule in rules {
            arguments += ["--rule", String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)]
        }
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = await firstLine(of: output.fileHandleForReading)
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw ServerError("the recording HTTP server did not start (is python3 installed?)")
        }
        return RecordingServer(port: port, process: process, input: input, recordFile: recordFile)
    }

    /// The first line a pipe delivers, read on a thread outside the test's cooperative pool.
    private static func firstLine(of handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var line = Data()
                while true {
                    let byte = handle.readData(ofLength: 1)
                    if byte.isEmpty || byte == Data("\n".utf8) { break }
                    line.append(byte)
                }
                continuation.resume(returning: line)
            }
        }
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

    /// Waits until at least `count` requests have arrived (at most five seconds).
    func waitForRequests(_ count: Int) async throws {
        for _ in 0..<500 {
            if try requests().count >= count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServerError("expected \(count) requests, got \(try requests().count)")
    }

    /// Stops the server and removes its record.
    func stop() {
        guard process.isRunning else { return }
        // Closing standard input stops the server; SIGTERM too. Polled rather than waitUntilExit(), which
        // runs a run loop and must not block the test's cooperative threads for long.
        try? input.fileHandleForWriting.close()
        process.terminate()
        for _ in 0..<500 where process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: recordFile)
    }

    /// The folder with Package.swift, found upwards from this file.
    static func repositoryRoot(from file: String = #filePath) throws -> URL {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        throw ServerError("no Package.swift above \(file)")
    }

    /// The server could not be started or did not see what was expected.
    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
