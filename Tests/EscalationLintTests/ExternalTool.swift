import Foundation

/// Runs an external command (e.g. `check-jsonschema`) and captures its output, for tests that use real validators.
struct ExternalTool {
    /// Exit status and combined output.
    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs `arguments` through `/usr/bin/env`; nil when the program cannot be started.
    static func run(_ arguments: [String]) -> Outcome? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Whether a program is on PATH.
    static func exists(_ name: String) -> Bool {
        run(["sh", "-c", "command -v \(name)"])?.status == 0
    }

    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fixtures folder of the lint tests.
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/EscalationLintTests/Fixtures")

    static let missingValidator =
        "check-jsonschema is not installed: run scripts/test.sh (it installs it with pip) or `pip install check-jsonschema`"
}
