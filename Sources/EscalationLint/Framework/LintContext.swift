import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy

/// What a rule sees: one loaded organisation, the loader's diagnostics for it, its compiled graph, and the channel
/// plugins available (empty in tests that do not care: channel rules then skip).
public struct LintContext: Sendable {
    /// The organisation.
    public var organisation: Organisation { didSet { labels = LintLabels(organisation) } }
    /// What the loader reported while reading it.
    public var loadDiagnostics: [Diagnostic]
    /// The organisation compiled (dangling references kept as written), for graph analyses.
    public var graph: RuleGraph
    /// The channel plugins the organisation's channels may use.
    public var channels: ChannelRegistry
    /// Labelled lists several rules read, built once (again after `organisation` changes).
    private var labels: LintLabels

    /// Each policy with its labelled steps, targets and route uses, in the organisation's order.
    public var policyLabels: [PolicyLabels] { labels.policyLabels() }
    /// Every target the policies and route tables name, built once, with lazy labels.
    public var labelledTargets: [(label: LintLabel, target: Target)] { labels.organisationTargets() }

    /// Creates a context, compiling the graph (without policy versions: no rule reads them).
    public init(organisation: Organisation, loadDiagnostics: [Diagnostic], channels: ChannelRegistry = ChannelRegistry()) {
        self.init(
            organisation: organisation, loadDiagnostics: loadDiagnostics, graph: GraphCompiler().compile(organisation, versions: false),
            channels: channels)
    }

    /// Creates a context over a graph already compiled from `organisation` (versions may be empty).
    public init(organisation: Organisation, loadDiagnostics: [Diagnostic], graph: RuleGraph, channels: ChannelRegistry = ChannelRegistry()) {
        self.organisation = organisation
        labels = LintLabels(organisation)
        self.loadDiagnostics = loadDiagnostics
        self.graph = graph
        self.channels = channels
    }

    /// The plugin with this id: `channels.plugin(id)` (a lookup by id in the registry).
    public func plugin(_ id: String) -> (any NotificationChannel.Type)? { channels.plugin(id) }
}
