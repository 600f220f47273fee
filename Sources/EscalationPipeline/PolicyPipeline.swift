import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationLint
import EscalationPolicy

/// The front half in one call: load → lint → compile, with every diagnostic. Every command, `serve`, reload and
/// `escalate test` go through it, so they accept and refuse the same policies.
public struct PolicyPipeline: Sendable {
    /// One organisation through the pipeline.
    public struct Compiled: Sendable {
        /// The loaded model (for commands that show the YAML's own words, e.g. plugin settings checks).
        public var organisation: Organisation
        /// The compiled graph: what the back half runs.
        public var graph: RuleGraph
        /// Every diagnostic (loader and lint rules), sorted.
        public var diagnostics: [Diagnostic]
        /// The files it was loaded from.
        public var sources: [PolicySource]
        /// The errors among the diagnostics.
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    /// The result: each organisation, compiled even when it has errors (callers decide whether to refuse).
    public struct Output: Sendable {
        /// Organisations in discovery order.
        public var organisations: [Compiled]
        /// Every error of every organisation, sorted.
        public var errors: [Diagnostic] { organisations.flatMap(\.errors).sorted() }
        /// Every diagnostic of every organisation, sorted.
        public var diagnostics: [Diagnostic] { organisations.flatMap(\.diagnostics).sorted() }
        /// The compiled graphs.
        public var graphs: [RuleGraph] { organisations.map(\.graph) }
    }

    /// The channel plugins whose settings lint checks.
    public var channels: ChannelRegistry
    /// Whether compiled policies get their versions (content hashes); `escalate lint`, which only reads the
    /// diagnostics, turns it off. Nothing else differs: the same organisations are accepted and refused.
    public var versions: Bool

    /// A pipeline that checks channel settings against these plugins.
    public init(channels: ChannelRegistry = ChannelRegistry(), versions: Bool = true) {
        self.channels = channels
        self.versions = versions
    }

    /// Runs the pipeline on policy files, organisation folders or folders of organisations. Organisations are
    /// read, linted and compiled on every core; the output (and the I/O error thrown, the first in discovery order)
    /// is the same as one at a time.
    public func run(paths: [String]) throws(PolicyLoader.IOError) -> Output {
        let loader = PolicyLoader()
        // Discovery lists each organisation's folder on the core that then reads it (1,000 organisations: about
        // 5,000 system calls that ran on one core before the others started). What it finds, and the error thrown
        // (the first in discovery order, discovery's before any file's), are as with `discover` first.
        let candidates = loader.candidates(paths)
        let results = ParallelMap.map(candidates.count) { index -> Outcome in
            let files: [String]
            do throws(PolicyLoader.IOError) {
                files = try loader.files(of: candidates[index])
            } catch {
                return Outcome(listed: .failure(error), compiled: nil)
            }
            guard !files.isEmpty else { return Outcome(listed: .success(files), compiled: nil) }
            do throws(PolicyLoader.IOError) {
                return Outcome(listed: .success(files), compiled: .success(process(try loader.load(organisationFiles: files))))
            } catch {
                return Outcome(listed: .success(files), compiled: .failure(error))
            }
        }
        var organisations: [Compiled] = []
        for found in try PolicyLoader.organisations(candidates, listed: results.map(\.listed)) {
            // A candidate is an organisation only with files, so `compiled` is there (an empty list reads as nothing).
            guard let compiled = results[found.index].compiled else {
                organisations.append(process(loader.load(files: [])))
                continue
            }
            organisations.append(try compiled.get())
        }
        // Two folders declaring one organisation id would make `serve` run one of them silently.
        var first: [String: Int] = [:]
        for index in organisations.indices {
            let id = organisations[index].graph.organisation
            guard let earlier = first[id] else {
                first[id] = index
                continue
            }
            let there = organisations[earlier].organisation.header?.location.description ?? organisations[earlier].organisation.displayName
            organisations[index].diagnostics.append(
                LoadProblem.duplicateID(
                    "organisation '\(id)' is already declared at \(there)",
                    at: organisations[index].organisation.header?.location,
                    hint: "give each organisation folder its own 'organisation: { id: … }'"))
        }
        return Output(organisations: organisations)
    }

    /// What became of one discovery candidate: its files, and the organisation read from them (nil when it has none).
    private struct Outcome: Sendable {
        var listed: Result<[String], PolicyLoader.IOError>
        var compiled: Result<Compiled, PolicyLoader.IOError>?
    }

    /// Runs the pipeline on one organisation given as file texts (tests, snapshots of sources).
    public func run(files: [(path: String, text: String)]) -> Compiled {
        process(PolicyLoader().load(files: files))
    }

    /// Lints and compiles an organisation already loaded.
    public func process(_ loaded: PolicyLoader.Loaded) -> Compiled {
        // One compilation serves lint and the output; versions are added after lint, which never reads them.
        let compiler = GraphCompiler()
        let graph = compiler.compile(loaded.organisation, versions: false)
        let diagnostics = Linter(channels: channels).lint(loaded, graph: graph).sorted()
        return Compiled(
            organisation: loaded.organisation, graph: versions ? compiler.withVersions(graph) : graph, diagnostics: diagnostics,
            sources: loaded.sources)
    }
}
