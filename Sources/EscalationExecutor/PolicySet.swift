import EscalationChannel
import EscalationCore
import EscalationGraph
import EscalationLint
import EscalationPolicy

/// The organisations an executor runs: each with its model (for channel settings) and compiled graph.
public struct PolicySet: Sendable {
    /// One organisation.
    public struct Entry: Sendable {
        /// The loaded model.
        public var organisation: Organisation
        /// The compiled graph.
        public var graph: RuleGraph
        /// The files it was loaded from (saved with the version an incident starts on).
        public var sources: [PolicySource] = []
    }

    /// Entries by organisation id.
    public var entries: [String: Entry]

    /// Why a policy set was refused: the lint errors.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        /// The diagnostics.
        public var diagnostics: [Diagnostic]
        /// One per line.
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Loads, lints and compiles; refuses the whole set when any error is found (the running set is then kept).
    public static func load(paths: [String], channels: ChannelRegistry = ChannelRegistry()) throws -> PolicySet {
        let loaded = try PolicyLoader().load(paths: paths)
        let linter = Linter(channels: channels)
        var entries: [String: Entry] = [:]
        var errors: [Diagnostic] = []
        for organisation in loaded {
            errors += linter.lint(organisation).filter { $0.severity == .error }
            let graph = GraphCompiler().compile(organisation.organisation)
            entries[graph.organisation] = Entry(organisation: organisation.organisation, graph: graph, sources: organisation.sources)
        }
        if !errors.isEmpty { throw Refused(diagnostics: errors.sorted()) }
        return PolicySet(entries: entries)
    }

    /// A set from already compiled entries (tests).
    public init(entries: [String: Entry]) { self.entries = entries }

    /// Builds a set from one organisation model.
    public init(_ organisations: [Organisation]) {
        var entries: [String: Entry] = [:]
        for organisation in organisations {
            let graph = GraphCompiler().compile(organisation)
            entries[graph.organisation] = Entry(organisation: organisation, graph: graph)
        }
        self.entries = entries
    }
}
