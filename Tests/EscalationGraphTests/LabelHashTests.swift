import EscalationCompiler
import EscalationGraph
import Foundation
import Testing

/// Picture labels are derived from a node's meaning when drawn, never stored in the hashed graph: rewording a
/// label in a renderer cannot change any policy's version.
@Suite("Labels and versions")
struct LabelHashTests {
    @Test("no seed policy's hashed JSON holds a label; each version is the hash of that JSON; every node still has a label", arguments: SeedPolicies.organisations)
    func labelsAreNotHashed(_ organisation: String) throws {
        let graph = try SeedPolicies.graph(organisation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for policy in graph.policies {
            let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(policy)) as? [String: Any])
            let nodes = try #require(json["nodes"] as? [[String: Any]])
            #expect(!nodes.isEmpty)
            #expect(nodes.allSatisfy { $0["label"] == nil }, "\(organisation)/\(policy.id) stores labels")
            #expect(GraphCompiler.version(of: policy) == policy.version)
            #expect(policy.nodes.allSatisfy { !$0.label.isEmpty })
        }
    }

    @Test("labels say what the node does: the step name, the condition in words, the wait, the end")
    func labelsFollowMeaning() throws {
        let graph = try SeedPolicies.graph("focus-it")
        let policy = try #require(graph.policies.first)
        #expect(policy.node("start")?.label == "triggered")
        #expect(policy.node("end:acknowledged")?.label == "acknowledged")
        let branch = try #require(policy.nodes.first { $0.kind == .branch })
        #expect(branch.label == branch.condition?.words(empty: "when"))
        let wait = try #require(policy.nodes.first { $0.kind == .wait })
        #expect(wait.label.hasPrefix("wait "))
    }
}
