import EscalationChannel
import EscalationCore
import EscalationExecutor
import EscalationPipeline
import Foundation
import Testing

/// The one front half: what it refuses, `serve`, reload, `compile`, `test` and `lint` all refuse.
@Suite("Policy pipeline")
struct PipelineTests {
    @Test("two folders declaring one organisation id are refused, not served one at random")
    func duplicateOrganisation() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["a", "b"] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Harness.yaml.replacingOccurrences(of: "plugin: recording", with: "plugin: console")
                .write(to: folder.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        }
        let output = try PolicyPipeline().run(paths: [root.path])
        #expect(output.organisations.count == 2)
        #expect(output.errors.map(\.rule) == ["duplicate_id"])
        #expect(output.errors.first?.message.contains("organisation 'acme' is already declared") == true)
        #expect(throws: PolicySet.Refused.self) { try PolicySet.load(paths: [root.path]) }
    }
}
