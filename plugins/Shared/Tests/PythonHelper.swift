// Shared test source: linked (symlink) into every plugin test target that starts a helper server from scripts/testing.

import Foundation

/// A helper server from `scripts/testing/` run by python3 on 127.0.0.1: it prints its port on the first line of its
/// standard output, and stops when `stop()` is called, when the test process exits (its standard input closes), or
/// after ten minutes.
final class PythonHelper: @unchecked Sendable {
    /// The port it listens on.
    let port: Int

    private let process: Process
    private let input: Pipe

    private init(port: Int, process: Process, input: Pipe) {
        self.port = port
        self.process = process
        self.input = input
    }

    deinit { stop() }

    /// Starts `scripts/testing/SCRIPT` with `arguments`; `failure` says what to check when it does not start.
    static func start(script: String, arguments: [String], failure: String) async throws -> PythonHelper {
        let path = try repositoryRoot().appendingPathComponent("scripts/testing").appendingPathComponent(script).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = await firstLine(of: output.fileHandleForReading)
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw HelperError(failure)
        }
        return PythonHelper(port: port, process: process, input: input)
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

    /// Stops the server.
    func stop() {
        guard process.isRunning else { return }
        // Closing standard input stops the server; SIGTERM too. Polled rather than waitUntilExit(), which
        // runs a run loop and must not block the test's cooperative threads for long.
        try? input.fileHandleForWriting.close()
        process.terminate()
        for _ in 0..<500 where process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The folder with Package.swift, found upwards from this file.
    static func repositoryRoot(from file: String = #filePath) throws -> URL {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        throw HelperError("no Package.swift above \(file)")
    }

    /// The server could not be started or did not see what was expected.
    struct HelperError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
