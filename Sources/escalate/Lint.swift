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
            let output: PolicyPipeline.Output
            do {
                // The same pipeline `serve`, reload, `compile` and `test` use: what lint accepts, they accept. Lint
                // shows no graph, so the policies' versions (content hashes) are not computed.
                output = try PolicyPipeline(channels: channels, versions: false).run(paths: paths.isEmpty ? ["policies"] : paths)
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            let report = Linter.Report(organisations: output.organisations.map(\.organisation), diagnostics: output.diagnostics)
            print(DiagnosticReporter(format: format, toolVersion: Escalate.version).render(report), terminator: "")
            let failing = report.count(.error) > 0 || (strict && report.count(.warning) > 0)
            // The report is written: exit with its status (what `throw ExitCode` gives) while the models and graphs are
            // still held, so they are not freed one object at a time on one core after the parallel part (26 M
            // instructions on 200 organisations); exit flushes standard output and the system takes the memory back at
            // once.
            withExtendedLifetime((output, report)) { Foundation.exit(failing ? ExitStatus.failed : ExitStatus.ok) }
        }
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
