import EscalationCompiler
import EscalationAnalysis
import EscalationGraph
import EscalationPolicy
import Foundation
import Testing

/// The five seed organisations under `policies/`, loaded with paths relative to the repository root so that
/// source locations read `policies/<org>/…` wherever the repository is checked out.
enum SeedPolicies {
    /// The seed organisations.
    static let organisations = ["careportal-support", "focus-it", "hubbard-swim", "idonate-incidents", "mindgym-live"]

    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The golden files folder.
    static let golden = repositoryRoot.appendingPathComponent("Tests/EscalationGraphTests/Golden")

    /// Makes the repository root the working directory (once), so paths are repository-relative wherever the
    /// checkout lives. Every suite that does this enters the same folder, and `swift test` already runs there.
    static let enterRoot: Bool = {
        let manager = FileManager.default
        if URL(fileURLWithPath: manager.currentDirectoryPath).standardizedFileURL.path != repositoryRoot.standardizedFileURL.path {
            return manager.changeCurrentDirectoryPath(repositoryRoot.path)
        }
        return true
    }()

    /// Loads one organisation as `policies/<org>` relative to the repository root.
    static func load(_ organisation: String) throws -> PolicyLoader.Loaded {
        try #require(enterRoot, "cannot change to the repository root \(repositoryRoot.path)")
        let loaded = try PolicyLoader().load(paths: ["policies/\(organisation)"])
        return try #require(loaded.first)
    }

    /// Compiles one organisation.
    static func graph(_ organisation: String) throws -> RuleGraph {
        let loaded = try load(organisation)
        #expect(loaded.diagnostics.isEmpty, "\(organisation) does not load cleanly: \(loaded.diagnostics)")
        return GraphCompiler().compile(loaded.organisation)
    }

    /// Compares text with a golden file, or rewrites the golden file when `UPDATE_GOLDEN` is set.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(
            actual == expected, "differs from Golden/\(name); regenerate with UPDATE_GOLDEN=1 if the change is intended",
            sourceLocation: sourceLocation)
    }

    static let missingDot =
        "Graphviz's `dot` is not installed: run scripts/test.sh (it installs graphviz with apt-get) or `apt-get install graphviz`"
}
