import ArgumentParser
import EscalationCore
import EscalationAnalysis
import EscalationGraph
import Foundation

extension Escalate {
    /// `escalate graph PATH`: draw policies as Mermaid, DOT, SVG or PNG.
    struct Graph: ParsableCommand {
        /// An output format.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case mermaid, dot, svg, png
        }

        static let configuration = CommandConfiguration(
            commandName: "graph",
            abstract: "Draw policies as a flowchart: Mermaid, Graphviz DOT, SVG or PNG.",
            discussion: """
                svg and png run Graphviz's `dot` (apt-get install graphviz). \
                Exit status: 0 drawn, 1 the policies have errors, 2 usage or I/O error (unknown policy, no dot).
                """)

        static let missingDot =
            "Graphviz's `dot` is needed for svg/png: install it with `apt-get install graphviz` (or use --format mermaid|dot)"

        @OptionGroup var input: PolicyInput

        @Option(help: "Draw only the policy with this id.")
        var policy: String?

        @Option(help: "Output format: mermaid, dot, svg or png.")
        var format: Format = .mermaid

        @Option(help: "Write to this file instead of standard output.")
        var output: String?

        func run() throws {
            var graphs = try input.compile().map(\.graph)
            if let policy {
                let ids = graphs.flatMap { $0.policies.map(\.id) }
                guard ids.contains(policy) else {
                    printError("error: no policy '\(policy)'\(policy.didYouMean(ids)); the policies are: \(ids.joined(separator: ", "))")
                    throw ExitCode(ExitStatus.usage)
                }
                graphs = graphs.compactMap { graph in
                    var graph = graph
                    graph.policies = graph.policies.filter { $0.id == policy }
                    return graph.policies.isEmpty ? nil : graph
                }
            }
            let data: Data
            switch format {
            case .mermaid: data = Data(MermaidRenderer().render(graphs).utf8)
            case .dot: data = Data(DOTRenderer().render(graphs).utf8)
            case .svg, .png:
                guard let graphviz = Graphviz.locate() else {
                    printError("error: \(Self.missingDot)")
                    throw ExitCode(ExitStatus.usage)
                }
                do {
                    data = try graphviz.render(DOTRenderer().render(graphs), as: format == .svg ? .svg : .png)
                } catch {
                    printError("error: \(error.description)")
                    throw ExitCode(ExitStatus.usage)
                }
            }
            guard let output else {
                FileHandle.standardOutput.write(data)
                return
            }
            do {
                try data.write(to: URL(fileURLWithPath: output))
            } catch {
                printError("error: \(output): cannot write: \(error.localizedDescription)")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}
