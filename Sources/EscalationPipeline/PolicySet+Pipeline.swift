import EscalationChannel
import EscalationCompiler
import EscalationCore
import EscalationExecutor
import EscalationGraph
import EscalationPolicy

extension PolicySet {
    /// Why a policy set was refused: the lint errors, with positions.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        /// The diagnostics.
        public var diagnostics: [Diagnostic]
        /// The errors by organisation id (so each organisation is shown only its own).
        public var byOrganisation: [String: [Diagnostic]] = [:]
        /// One per line.
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Loads, lints and compiles through the pipeline; refuses the whole set when any error is found.
    public static func load(paths: [String], channels: ChannelRegistry = ChannelRegistry()) throws -> PolicySet {
        try loadWithDiagnostics(paths: paths, channels: channels).set
    }

    /// A set compiled from organisation models (tests; no lint).
    public init(_ organisations: [Organisation]) {
        self.init(graphs: organisations.map { GraphCompiler().compile($0) })
    }
}

extension Executor {
    /// Loads, lints and compiles the policies at `paths` and runs them; on any error nothing changes and the
    /// diagnostics (file:line:col) come back. Open incidents keep the version they started with.
    /// Files are read and compiled off the actor, so incidents keep moving meanwhile.
    public nonisolated func reload(paths: [String], channels: ChannelRegistry) async -> String? {
        await reloadRefusal(paths: paths, channels: channels).map(\.description)
    }

    /// Like `reload(paths:channels:)`, with the refusal's diagnostics by organisation (an I/O error is refused
    /// for every organisation, with no diagnostics).
    public nonisolated func reloadRefusal(paths: [String], channels: ChannelRegistry) async -> PolicySet.Refused? {
        do {
            let set = try PolicySet.load(paths: paths, channels: channels)
            await reload(set)
            return nil
        } catch let refused as PolicySet.Refused {
            return refused
        } catch {
            return PolicySet.Refused(diagnostics: [
                Diagnostic(severity: .error, rule: "io_error", code: "E000", message: "\(error)", location: nil)
            ])
        }
    }
}
