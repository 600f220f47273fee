import ArgumentParser
import EscalationCore
import EscalationGraph
import EscalationPipeline
import EscalationPolicy

/// The policy path arguments shared by commands that compile: lint first, refuse on errors.
struct PolicyInput: ParsableArguments {
    @Argument(help: "A policy file, an organisation folder, or a folder of organisations (default: policies/).")
    var paths: [String] = []

    @OptionGroup var plugins: PluginOptions

    /// Lints and compiles through the pipeline; prints diagnostics and exits 1 on errors, 2 on I/O errors.
    func compile() throws -> [(organisation: Organisation, graph: RuleGraph)] {
        let output: PolicyPipeline.Output
        let pipeline = PolicyPipeline(channels: try plugins.registry())
        do {
            output = try pipeline.run(paths: paths.isEmpty ? ["policies"] : paths)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
        if !output.errors.isEmpty {
            output.errors.forEach { printError($0.description) }
            printError("the policies have errors; fix them (escalate lint) before compiling")
            throw ExitCode(ExitStatus.failed)
        }
        return output.organisations.map { ($0.organisation, $0.graph) }
    }
}
