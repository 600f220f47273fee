import ArgumentParser
import Foundation

extension Escalate {
    /// `escalate resolve ID`.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve an incident (or one scope of it).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Option(help: "Who resolves.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        @Option(help: "Resolve one scope only.") var scope: String?
        @Option(help: "The outcome.") var outcome: String?
        func run() async throws {
            var body: [String: Any] = ["by": by]
            if let scope { body["scope"] = scope }
            if let outcome { body["outcome"] = outcome }
            try await options.call("POST", "/v1/incidents/\(id)/resolve", body: body) { "\(field("id", in: $0)) \(field("status", in: $0))" }
        }
    }
}
