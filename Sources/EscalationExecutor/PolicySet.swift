import EscalationGraph

/// The organisations an executor runs, as compiled graphs (the only contract with the front half).
public struct PolicySet: Sendable {
    /// Graphs by organisation id.
    public var graphs: [String: RuleGraph]

    /// A set of compiled organisations.
    public init(graphs: [RuleGraph]) {
        self.graphs = Dictionary(graphs.map { ($0.organisation, $0) }, uniquingKeysWith: { _, last in last })
    }
}
