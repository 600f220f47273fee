import ArgumentParser
import EscalationCore
import EscalationLint
import EscalationPipeline
import Foundation

extension Escalate {
    /// `escalate lint PATH…`: check policies and report every problem with its location.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check policy files and report every problem at file:line:col.",
            discussion: "Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage or I/O error.")

        @Argument(help: "Policy files or folders (default: policies/).")
        var paths: [String] = []

        @Option(help: "Output format: text, json, github or sarif.")
        var format: DiagnosticFormat = .text

        @Flag(help: "Treat warnings as errors for the exit status.")
        var strict = false

        @Flag(help: "List the lint rules and exit.")
        var listRules = false

        @OptionGroup var plugins: PluginOptions

        func run() throws {
            if listRules {
                print(RuleListing.render(RuleCatalogue.descriptions), terminator: "")
                return
            }
            let channels = try plugins.registry()
            let report: Linter.Report
            do {
                // The same pipeline `serve`, reload, `compile` and `test` use: what lint accepts, they accept. Lint
                // shows no graph, so the policies' versions (content hashes) are not computed.
                let output = try PolicyPipeline(channels: channels, versions: false).run(paths: paths.isEmpty ? ["policies"] : paths)
                report = Linter.Report(organisations: output.organisations.map(\.organisation), diagnostics: output.diagnostics)
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            print(DiagnosticReporter(format: format, toolVersion: Escalate.version).render(report), terminator: "")
            let failing = report.count(.error) > 0 || (strict && report.count(.warning) > 0)
            if failing { throw ExitCode(ExitStatus.failed) }
        }
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
