import ArgumentParser
import EscalationCore
import EscalationAnalysis
import EscalationGraph
import Foundation

extension Escalate {
    /// `escalate explain PATH --policy ID --at TIME [--field k=v …]`: what each layer would do at an instant, and why.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Explain, layer by layer, whether a policy's layers run at an instant and whom they reach, and why.",
            discussion: """
                Each layer is evaluated as if it started at TIME: its 'when' (which calendar, open or closed) and its \
                targets (direct contact, group member, on call in a schedule by rotation shift or override, incident \
                field), with channels. TIME is ISO 8601 with an offset, or a local YYYY-MM-DDTHH:MM in the \
                organisation's zone (default: now).
                """)

        @OptionGroup var input: PolicyInput

        @Option(help: "The policy to explain.")
        var policy: String

        @Option(help: "The instant: 2026-03-09T10:00 (organisation's zone) or 2026-03-09T10:00-06:00 (default: now).")
        var at: String?

        @Option(name: .customLong("field"), help: ArgumentHelp("An incident field, NAME=VALUE (repeat for more).", valueName: "k=v"))
        var fields: [KeyValue] = []

        @Option(help: "Output format: text or json.")
        var format: ReportFormat = .text

        func run() throws {
            let fields = self.fields.dictionary
            let graphs = try input.compile().map(\.graph).filter { $0.policy(policy) != nil }
            guard graphs.count == 1, let graph = graphs.first, let compiled = graph.policy(policy) else {
                let which = graphs.map(\.organisation).joined(separator: ", ")
                throw ValidationError(
                    graphs.isEmpty
                        ? "no organisation under the path has a policy '\(policy)'"
                        : "policy '\(policy)' is in several organisations (\(which)); pass one organisation's folder")
            }
            let instant = try IncidentArguments.instant(at, zoneName: graph.timezone, option: "--at")
            let explanation = PolicyExplainer(graph: graph).explain(compiled, at: instant, fields: fields)
            switch format {
            case .text: print(explanation.text, terminator: "")
            case .json: print(try ReportJSON.encode(explanation), terminator: "")
            }
        }
    }
}
