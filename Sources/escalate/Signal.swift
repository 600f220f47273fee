import ArgumentParser
import Foundation

extension Escalate {
    /// `escalate signal ID NAME`.
    struct Signal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "signal", abstract: "Send a named signal to an incident.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Incident id.") var id: String
        @Argument(help: "Signal name.") var name: String
        @Option(name: .customLong("data"), help: ArgumentHelp("Signal data, NAME=VALUE (repeatable).", valueName: "k=v")) var data: [KeyValue] = []
        func run() async throws {
            try await options.call("POST", "/v1/incidents/\(id)/signal", body: ["name": name, "data": data.dictionary]) {
                "\(field("id", in: $0)) \(field("status", in: $0))"
            }
        }
    }
}
