import Foundation

/// Runs an external command (e.g. `check-jsonschema`) and captures its output, for tests that use real validators.
struct ExternalTool {
    /// Exit status and combined output.
    struct Outcome: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `arguments` through `/usr/bin/env`; nil when the program cannot be started. It waits on a thread of its
    /// own, so the concurrency pool (as wide as the machine has cores) stays free for tests running in parallel.
    static func run(_ arguments: [String]) async -> Outcome? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let reader = pipe.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread {
                let data = reader.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self)))
            }.start()
        }
    }

    /// Whether a program is on PATH.
    static func exists(_ name: String) async -> Bool {
        await run(["sh", "-c", "command -v \(name)"])?.status == 0
    }

    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fixtures folder of the lint tests.
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/EscalationLintTests/Fixtures")

    static let missingValidator =
        "check-jsonschema is not installed: run scripts/test.sh (it installs it with pip) or `pip install check-jsonschema`"
}
