import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy

/// Loads organisations and runs every rule over them, collecting all diagnostics.
public struct Linter: Sendable {
    /// The rules to run.
    public var rules: [any PolicyRule]
    /// The channel plugins channels are checked against (none: plugin checks are skipped).
    public var channels: ChannelRegistry

    /// A linter with the given rules (all built-in rules by default) and channel plugins (none by default).
    public init(rules: [any PolicyRule] = RuleRegistry.all.map { $0.init() }, channels: ChannelRegistry = ChannelRegistry()) {
        self.rules = rules
        self.channels = channels
    }

    /// The result of linting some paths.
    public struct Report: Sendable {
        /// The organisations linted.
        public var organisations: [Organisation]
        /// Every diagnostic, sorted by location.
        public var diagnostics: [Diagnostic]

        /// A report.
        public init(organisations: [Organisation], diagnostics: [Diagnostic]) {
            self.organisations = organisations
            self.diagnostics = diagnostics
        }

        /// The number of diagnostics with this severity.
        public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }
    }

    /// Lints every organisation under the paths.
    public func lint(paths: [String]) throws(PolicyLoader.IOError) -> Report {
        let loaded = try PolicyLoader().load(paths: paths)
        return Report(organisations: loaded.map(\.organisation), diagnostics: loaded.flatMap(lint).sorted())
    }

    /// Lints one organisation given as in-memory files.
    public func lint(files: [(path: String, text: String)]) -> [Diagnostic] {
        lint(PolicyLoader().load(files: files)).sorted()
    }

    /// Runs the rules over one loaded organisation; loader problems no rule claims are kept too.
    public func lint(_ loaded: PolicyLoader.Loaded) -> [Diagnostic] {
        lint(loaded, graph: GraphCompiler().compile(loaded.organisation, versions: false))
    }

    /// Runs the rules over one loaded organisation and its graph, already compiled (versions may be empty).
    public func lint(_ loaded: PolicyLoader.Loaded, graph: RuleGraph) -> [Diagnostic] {
        let context = LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics, graph: graph, channels: channels)
        var result: [Diagnostic] = []
        for rule in rules { result += rule.validate(context) }
        // The rules' ids are only needed to pass on loader problems no rule claims; most organisations have none,
        // and hashing 57 ids per organisation cost 1.4 % of lint.
        if !loaded.diagnostics.isEmpty {
            let claimed = Set(rules.map(\.kind.id))
            result += loaded.diagnostics.filter { !claimed.contains($0.rule) }
        }
        var seen = Set<Diagnostic>()
        return result.filter { seen.insert($0).inserted }
    }
}
