import ArgumentParser
import EscalationCore
import EscalationGraph
import EscalationLint
import EscalationPolicy

/// The policy path arguments shared by commands that compile: lint first, refuse on errors.
struct PolicyInput: ParsableArguments {
    @Argument(help: "A policy file, an organisation folder, or a folder of organisations (default: policies/).")
    var paths: [String] = []

    @OptionGroup var plugins: PluginOptions

    /// Lints and compiles; prints diagnostics and exits 1 on errors, 2 on I/O errors.
    func compile() throws -> [(organisation: Organisation, graph: RuleGraph)] {
        let loaded: [PolicyLoader.Loaded]
        do {
            loaded = try PolicyLoader().load(paths: paths.isEmpty ? ["policies"] : paths)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
        let linter = Linter(channels: try plugins.registry())
        var failed = false
        for organisation in loaded {
            let errors = linter.lint(organisation).filter { $0.severity == .error }.sorted()
            if !errors.isEmpty {
                failed = true
                errors.forEach { printError($0.description) }
            }
        }
        if failed {
            printError("the policies have errors; fix them (escalate lint) before compiling")
            throw ExitCode(ExitStatus.failed)
        }
        let compiler = GraphCompiler()
        return loaded.map { ($0.organisation, compiler.compile($0.organisation)) }
    }
}
