import ArgumentParser
import Foundation

extension Escalate {
    /// `escalate ack ID`.
    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an incident.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "Who acknowledges.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        func run() async throws {
            try await options.call("POST", "/v1/incidents/\(id)/acknowledge", body: ["by": by]) { "\(field("id", in: $0)) \(field("status", in: $0))" }
        }
    }
}
