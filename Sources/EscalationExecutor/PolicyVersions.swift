import EscalationGraph

/// Which compiled graph each incident runs on: the running set, graphs replaced by reloads (open incidents keep the
/// version they started on), and graphs read back from snapshots after a restart. Also which versions are known to
/// be saved, and where a channel's declaration is found when a later set no longer declares it.
struct PolicyVersions: Sendable {
    /// The running set.
    private(set) var running: PolicySet
    /// Graphs of earlier versions by "organisation/version".
    private var byVersion: [String: RuleGraph] = [:]
    /// Replaced or snapshotted graphs per organisation, newest first (at most `keep`), for their channels.
    private var earlier: [String: [RuleGraph]] = [:]
    /// Versions known to be saved in the store.
    private var saved: Set<String> = []
    /// How many replaced graphs are kept per organisation for their channels.
    let keep = 20

    init(_ running: PolicySet) { self.running = running }

    /// Runs a new set; the replaced graphs stay available for their open incidents.
    mutating func reload(_ set: PolicySet) {
        for graph in running.graphs.values { retire(graph, newest: true) }
        running = set
    }

    private mutating func retire(_ graph: RuleGraph, newest: Bool) {
        for policy in graph.policies { byVersion[Self.key(graph.organisation, policy.version)] = graph }
        var list = earlier[graph.organisation, default: []]
        if newest { list.insert(graph, at: 0) } else { list.append(graph) }
        earlier[graph.organisation] = Array(list.prefix(keep))
    }

    /// The organisations served.
    var organisations: [String] { running.graphs.keys.sorted() }

    /// The running graph of an organisation.
    func current(_ organisation: String) -> RuleGraph? { running.graphs[organisation] }

    /// The graph of a version, if it is running or was replaced or read back.
    func graph(organisation: String, version: String) -> RuleGraph? {
        if let current = running.graphs[organisation], current.policies.contains(where: { $0.version == version }) { return current }
        return byVersion[Self.key(organisation, version)]
    }

    /// Remembers a graph read back from a snapshot (it serves its version and, after the running set, its channels).
    mutating func remember(snapshot graph: RuleGraph, version: String) {
        byVersion[Self.key(graph.organisation, version)] = graph
        saved.insert(Self.key(graph.organisation, version))
        retire(graph, newest: false)
    }

    /// Whether a version is known to be saved.
    func isSaved(organisation: String, version: String) -> Bool { saved.contains(Self.key(organisation, version)) }

    /// Marks a version as saved.
    mutating func markSaved(organisation: String, version: String) { saved.insert(Self.key(organisation, version)) }

    /// A channel's compiled declaration: from the running set, else from the newest replaced or snapshotted graph
    /// that has it (an open incident on an older version may still use a channel a reload removed).
    func channel(organisation: String, id: String) -> CompiledChannel? {
        if let channel = running.graphs[organisation]?.channel(id) { return channel }
        return earlier[organisation]?.lazy.compactMap { $0.channel(id) }.first
    }

    private static func key(_ organisation: String, _ version: String) -> String { "\(organisation)/\(version)" }
}
