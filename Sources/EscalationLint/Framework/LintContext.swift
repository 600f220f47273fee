import EscalationCore
import EscalationGraph
import EscalationPolicy

/// What a rule sees: one loaded organisation, the loader's diagnostics for it, and its compiled graph.
public struct LintContext: Sendable {
    /// The organisation.
    public var organisation: Organisation
    /// What the loader reported while reading it.
    public var loadDiagnostics: [Diagnostic]
    /// The organisation compiled (dangling references kept as written), for graph analyses.
    public var graph: RuleGraph

    /// Creates a context, compiling the graph.
    public init(organisation: Organisation, loadDiagnostics: [Diagnostic]) {
        self.organisation = organisation
        self.loadDiagnostics = loadDiagnostics
        self.graph = GraphCompiler().compile(organisation)
    }
}
