import EscalationAnalysis
import EscalationGraph
import Foundation
import Testing

/// The five seed organisations compiled and drawn: the graph JSON and the Mermaid text equal their golden files
/// (`UPDATE_GOLDEN=1 swift test --filter EscalationGraphTests` rewrites them), and Graphviz accepts the DOT.
@Suite("Seed graphs")
struct SeedGraphTests {
    @Test("the compiled graph equals Golden/<org>.graph.json", arguments: SeedPolicies.organisations)
    func graphJSON(organisation: String) throws {
        let json = try RuleGraphJSON.encode([SeedPolicies.graph(organisation)])
        #expect(json.contains("\"file\" : \"policies/\(organisation)/"), "source locations are not relative to the repository")
        try SeedPolicies.expectGolden(json, "\(organisation).graph.json")
    }

    @Test("the Mermaid drawing equals Golden/<org>.mmd", arguments: SeedPolicies.organisations)
    func mermaid(organisation: String) throws {
        let graph = try SeedPolicies.graph(organisation)
        let text = MermaidRenderer().render(graph)
        #expect(text.hasPrefix("flowchart TD\n"))
        #expect(text == MermaidRenderer().render(graph), "two renderings differ")
        try SeedPolicies.expectGolden(text, "\(organisation).mmd")
    }

    @Test("Graphviz accepts the DOT drawing and makes an SVG", arguments: SeedPolicies.organisations)
    func dotRenders(organisation: String) throws {
        let graphviz = try #require(Graphviz.locate(), Comment(rawValue: SeedPolicies.missingDot))
        let graph = try SeedPolicies.graph(organisation)
        let dot = DOTRenderer().render(graph)
        #expect(dot == DOTRenderer().render(graph), "two renderings differ")
        #expect(dot.contains("rankdir=TB"))
        let svg = String(decoding: try graphviz.render(dot, as: .svg), as: UTF8.self)
        #expect(svg.contains("<svg"))
        for policy in graph.policies {
            let single = String(decoding: try graphviz.render(DOTRenderer().render(policy), as: .svg), as: UTF8.self)
            #expect(single.contains("<svg"), "\(organisation)/\(policy.id) did not render")
        }
    }

    @Test("recompiling gives identical JSON: node ids and versions are stable", arguments: SeedPolicies.organisations)
    func stable(organisation: String) throws {
        let first = try RuleGraphJSON.encode([SeedPolicies.graph(organisation)])
        let second = try RuleGraphJSON.encode([SeedPolicies.graph(organisation)])
        #expect(first == second)
    }
}
