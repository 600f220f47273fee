import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationLint
import EscalationPipeline
import EscalationPolicy
import Foundation
import Testing

/// The pipeline reads, lints and compiles organisations on every core, compiles each once for lint and output, and
/// leaves versions out for lint. This pins that its output is what one organisation at a time, linted and compiled
/// separately (the way it was), gives.
@Suite("Policy pipeline in parallel")
struct PipelineParallelTests {
    static let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies").path

    static func json(_ graph: RuleGraph) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(graph), as: UTF8.self)
    }

    @Test("the bundled organisations: the same diagnostics and graphs (versions included) as one at a time")
    func sameAsSequential() throws {
        let output = try PolicyPipeline().run(paths: [Self.policies])
        let loaded = try PolicyLoader().load(paths: [Self.policies])
        #expect(output.organisations.count == loaded.count)
        #expect(output.organisations.count == 5)
        for (compiled, one) in zip(output.organisations, loaded) {
            #expect(compiled.diagnostics == Linter().lint(one).sorted())
            let graph = GraphCompiler().compile(one.organisation)
            #expect(graph.policies.allSatisfy { $0.version.count == 16 })
            #expect(try Self.json(compiled.graph) == Self.json(graph))
            #expect(compiled.sources == one.sources)
        }
    }

    @Test("without versions: the same diagnostics, and the same graphs but for the empty versions")
    func withoutVersions() throws {
        let with = try PolicyPipeline().run(paths: [Self.policies])
        let without = try PolicyPipeline(versions: false).run(paths: [Self.policies])
        #expect(with.diagnostics == without.diagnostics)
        for (a, b) in zip(with.organisations, without.organisations) {
            #expect(b.graph.policies.allSatisfy { $0.version.isEmpty })
            var stripped = a.graph
            for index in stripped.policies.indices { stripped.policies[index].version = "" }
            #expect(try Self.json(stripped) == Self.json(b.graph))
            #expect(try Self.json(GraphCompiler().withVersions(b.graph)) == Self.json(a.graph))
        }
    }

    @Test("of several unreadable organisations, the first in discovery order is the error")
    func firstError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-parallel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["a", "b", "c", "d"] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let bytes: [UInt8] = name == "a" ? Array("organisation: { id: a, name: A }\n".utf8) : [0x6f, 0x3a, 0x20, 0xff, 0x0a]
            try Data(bytes).write(to: folder.appendingPathComponent("\(name).yaml"))
        }
        #expect(throws: PolicyLoader.IOError.self) { try PolicyPipeline().run(paths: [root.path]) }
        do {
            _ = try PolicyPipeline().run(paths: [root.path])
        } catch {
            #expect(error.path.hasSuffix("/b/b.yaml"), "\(error.path)")
            #expect(error.cause == .notUTF8)
        }
    }
}
