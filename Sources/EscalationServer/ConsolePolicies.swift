import EscalationAnalysis
import EscalationCore
import EscalationExecutor
import EscalationGraph
import Foundation

/// The policies the console shows (the running set, replaced on reload), and their drawings, made once per version.
public actor ConsolePolicies {
    /// Compiled graphs by organisation id.
    private var graphs: [String: RuleGraph]
    /// SVG drawings by policy version.
    private var drawings: [String: String] = [:]
    /// Graphviz's `dot`, when installed (without it the console shows the DOT text).
    let graphviz: Graphviz?

    /// Lint diagnostics of the running set by organisation id, paths relative to each organisation's folder.
    private var diagnostics: [String: [Diagnostic]]

    /// Creates the catalogue from the running set and its lint diagnostics (by organisation id, relative paths).
    public init(_ set: PolicySet, diagnostics: [String: [Diagnostic]] = [:], graphviz: Graphviz? = Graphviz.locate()) {
        graphs = set.graphs
        self.diagnostics = diagnostics
        self.graphviz = graphviz
    }

    /// Replaces the policies (and their diagnostics) after a reload.
    public func replace(with set: PolicySet, diagnostics: [String: [Diagnostic]] = [:]) {
        graphs = set.graphs
        self.diagnostics = diagnostics
        drawings = [:]
    }

    /// The lint diagnostics of an organisation's running policies.
    func diagnostics(_ organisation: String) -> [Diagnostic] { diagnostics[organisation] ?? [] }

    /// The graph of an organisation.
    func graph(_ organisation: String) -> RuleGraph? { graphs[organisation] }

    /// One policy of an organisation.
    func policy(_ organisation: String, id: String) -> CompiledPolicy? { graphs[organisation]?.policies.first { $0.id == id } }

    /// The drawing of a policy: `.svg` when Graphviz is installed, else `.dot` with the DOT text and why.
    func drawing(_ policy: CompiledPolicy) -> Drawing {
        let dot = DOTRenderer().render(policy)
        guard let graphviz else { return .dot(dot, reason: "Graphviz's dot is not installed on the server (apt-get install graphviz)") }
        if let known = drawings[policy.version] { return .svg(known) }
        do {
            let svg = String(decoding: try graphviz.render(dot, as: .svg), as: UTF8.self)
            drawings[policy.version] = svg
            return .svg(svg)
        } catch {
            return .dot(dot, reason: "dot failed: \(error.description)")
        }
    }

    /// A policy's picture.
    enum Drawing: Sendable {
        /// An SVG document drawn by Graphviz.
        case svg(String)
        /// The DOT text, when it could not be drawn.
        case dot(String, reason: String)
    }
}
