import ArgumentParser
import EscalationCore
import EscalationAnalysis
import EscalationGraph
import Foundation

extension Escalate {
    /// `escalate coverage PATH [--policy ID] [--from T] [--days N]`: the windows in which a policy reaches nobody.
    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "Report the windows in which each policy's first layer, or its whole ladder, reaches nobody.",
            discussion: """
                Exact interval arithmetic over calendars, holidays, rotations, overrides and DST (no sampling); \
                windows are shown in the organisation's zone. Incident fields are unknown before an incident: field \
                targets count as reached, field conditions as holding. Exit status 0 (it is a report), 2 on usage errors.
                """)

        @OptionGroup var input: PolicyInput

        @Option(help: "Only this policy.")
        var policy: String?

        @Option(help: "Start: 2026-03-02T00:00 (organisation's zone) or with an offset (default: now).")
        var from: String?

        @Option(help: "How many days to cover.")
        var days: Int = 28

        @Option(help: "Output format: text or json.")
        var format: ReportFormat = .text

        func validate() throws {
            guard days > 0, days <= 3_660 else { throw ValidationError("--days takes a number of days from 1 to 3660, got \(days)") }
        }

        func run() throws {
            var sections: [(heading: String, reports: [CoverageReport])] = []
            for graph in try input.compile().map(\.graph) {
                let policies = graph.policies.filter { policy == nil || $0.id == policy }
                guard !policies.isEmpty else { continue }
                let start = try IncidentArguments.instant(from, zoneName: graph.timezone, option: "--from")
                let analyzer = CoverageAnalyzer(graph: graph)
                let reports = policies.map { analyzer.analyze($0, from: start, days: days) }
                sections.append((reports[0].heading, reports))
            }
            if let policy, sections.isEmpty { throw ValidationError("no organisation under the path has a policy '\(policy)'") }
            switch format {
            case .json:
                print(try ReportJSON.encode(sections.flatMap(\.reports)), terminator: "")
            case .text:
                let blocks = sections.map { section in
                    ([section.heading, ""] + section.reports.map(\.text)).joined(separator: "\n")
                }
                print(blocks.joined(separator: "\n"), terminator: "")
            }
        }
    }
}
