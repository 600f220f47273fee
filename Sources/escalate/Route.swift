import ArgumentParser
import EscalationCore
import EscalationAnalysis
import EscalationGraph
import EscalationSimulator
import Foundation

extension Escalate {
    /// `escalate route PATH (--incident FILE | --field k=v …)`: which policy takes an incident, and why.
    struct Route: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "route",
            abstract: "Show which policy takes an incident and why: every policy's match, field by field, and the winner.",
            discussion: """
                The highest priority wins among matching policies, then file order. --incident reads a JSON or YAML \
                map of fields (or {"fields": {…}}); --field values are added on top. Exit status: 0 a policy takes \
                it, 1 none does, 2 usage or I/O error.
                """)

        @OptionGroup var input: PolicyInput

        @Option(help: "A JSON or YAML file with the incident's fields.")
        var incident: String?

        @Option(name: .customLong("field"), help: ArgumentHelp("An incident field, NAME=VALUE (repeat for more).", valueName: "k=v"))
        var fields: [KeyValue] = []

        @Option(help: "Output format: text or json.")
        var format: ReportFormat = .text

        func validate() throws {
            if incident == nil && fields.isEmpty { throw ValidationError("give the incident with --incident FILE or --field NAME=VALUE") }
        }

        func run() throws {
            var values: [String: String] = [:]
            if let incident {
                do {
                    values = try IncidentFieldsReader.read(path: incident)
                } catch {
                    printError("error: \(error.description)")
                    throw ExitCode(ExitStatus.usage)
                }
            }
            values.merge(fields.dictionary) { _, given in given }
            let decisions = try input.compile().map { PolicyRouter(graph: $0.graph).route(values) }
            switch format {
            case .text: print(decisions.map(\.text).joined(separator: "\n"), terminator: "")
            case .json: print(decisions.count == 1 ? try ReportJSON.encode(decisions[0]) : try ReportJSON.encode(decisions), terminator: "")
            }
            if !decisions.contains(where: { $0.winner != nil }) { throw ExitCode(ExitStatus.failed) }
        }
    }
}
