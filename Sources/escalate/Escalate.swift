import ArgumentParser
import Foundation

/// The `escalate` command: parses arguments, wires libraries together and prints.
@main
struct Escalate: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "Escalation policies as code: lint, picture, rehearse and run them.",
        version: version,
        subcommands: [
            Lint.self, Compile.self, Graph.self, Simulate.self, Test.self, Explain.self, Route.self, Coverage.self, Plugins.self, SendTest.self,
            Serve.self, ConsoleLink.self, Database.self, IntegrationKey.self, Trigger.self, Ack.self, Resolve.self, Signal.self, Incidents.self,
        ])

    /// Runs the command; usage errors exit 2 (not ArgumentParser's 64), as the README promises.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

/// Exit statuses shared by every subcommand.
enum ExitStatus {
    /// Everything is fine.
    static let ok: Int32 = 0
    /// The policies have errors, or a test failed.
    static let failed: Int32 = 1
    /// Usage or I/O error.
    static let usage: Int32 = 2
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
