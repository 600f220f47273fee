import ArgumentParser
import Foundation

extension Escalate {
    /// `escalate trigger`: open an incident through the API.
    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trigger", abstract: "Trigger an incident on a running server.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Policy id (default: chosen by the policies' match).") var policy: String?
        @Option(help: "Title.") var title: String?
        @Option(help: "Dedup key: a second trigger with the same key joins the open incident.") var dedupKey: String?
        @Option(name: .customLong("field"), help: ArgumentHelp("An incident field, NAME=VALUE (repeatable).", valueName: "k=v"))
        var fields: [KeyValue] = []

        func run() async throws {
            var body: [String: Any] = ["fields": fields.dictionary]
            if let policy { body["policy"] = policy }
            if let title { body["title"] = title }
            if let dedupKey { body["dedup_key"] = dedupKey }
            try await options.call("POST", "/v1/incidents", body: body) { "\(field("id", in: $0)) \(field("status", in: $0))" }
        }
    }
}
