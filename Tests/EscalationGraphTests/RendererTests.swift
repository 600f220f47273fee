import EscalationCompiler
import EscalationAnalysis
import EscalationGraph
import EscalationPolicy
import Foundation
import Testing

/// The Mermaid and DOT renderers on a small organisation that uses every kind of node and edge.
@Suite("Renderers")
struct RendererTests {
    static let yaml = """
        organisation:
          id: acme
          name: Acme
          timezone: Europe/London
          calendars:
            office:
              hours: [{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }]
        contacts:
          jessie: { name: Jessie, addresses: { email: jessie@example.org } }
          matt: { name: Matt, addresses: { email: matt@example.org } }
        channels:
          email: { plugin: email }
          banner: { plugin: webhook }
        templates:
          page: { body: "Page {{ incident.title }}" }
        policies:
          outage:
            name: 'Outage "big" [site] #1 <b>'
            match: { kind: outage }
            fields:
              session.start: { type: time, required: true }
            until: [joined]
            layers:
              - id: a-b
                notify: [{ contact: jessie }]
                via: [email, { channel: banner, after: 5m }]
                template: page
                timeout: 15m
              - id: a_b
                when: { during: office }
                notify: [{ contact: matt }]
                template: page
                at: session.start + 15m
              - id: last
                tasks: [{ title: Call everyone, assignee: { contact: matt } }]
            repeat: { times: 2, after: 10m }
            stages:
              - { id: posted, on: trigger, channel: banner, template: page }
              - { id: found, on: signal, signal: identified, channel: banner, template: page, expires: 1h }
            actions:
              - { id: away, channel: banner, template: page }
            on:
              acknowledge:
                - { name: Tell Matt, notify: [{ contact: matt }], template: page }
              signal:
                joined: [{ notify: [{ contact: jessie }], template: page }]
          quiet:
            name: Quiet
            layers:
              - id: only
                notify: [{ contact: jessie }]
                template: page
        """

    static func graph(_ text: String = yaml) -> RuleGraph {
        GraphCompiler().compile(PolicyLoader().load(files: [(path: "acme.yaml", text: text)]).organisation)
    }

    static func outage() throws -> CompiledPolicy {
        try #require(graph().policy("outage"))
    }

    @Test("Mermaid: a flowchart with a shape per node kind and labelled edges")
    func mermaidShapesAndLabels() throws {
        let text = MermaidRenderer().render(try Self.outage())
        #expect(text.hasPrefix("flowchart TD\n"))
        for expected in [
            "n_start([\"", "n_layer_a_b_when{\"when during office?\"}", "n_layer_a_b[\"",
            "n_layer_last[[\"", "n_layer_a_b_wait{{\"wait 15m\"}}", "n_layer_a_b_wait_2{{\"wait until session.start + 15m\"}}",
            "n_repeat(\"repeat ×2", "n_stage_posted[/\"", "n_action_away[/\"", "n_end_resolved(((\"resolved\")))",
            "n_end_acknowledged((\"acknowledged\"))", "n_hooks_acknowledge>\"on acknowledge",
            "|\"after 15m\"|", "|\"at session.start + 15m\"|", "|\"ack\"|", "|\"signal: joined\"|", "|\"yes\"|", "|\"no\"|",
            "|\"resolve\"|", "|\"again after 10m\"|", "|\"after 2 more passes\"|", "|\"signal: identified\"|", "via email → banner +5m",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(text.contains("classDef k_notify"))
        #expect(text.contains("linkStyle "))
    }

    @Test("Mermaid: ids are sanitised and unique; labels escape quotes, brackets, # and <")
    func mermaidEscaping() throws {
        let text = MermaidRenderer().render(try Self.outage())
        // `layer:a-b` and `layer:a_b` both sanitise to n_layer_a_b: the second gets a suffix (so do their waits).
        #expect(text.contains("n_layer_a_b[\"a-b"))
        #expect(text.contains("n_layer_a_b_2[\"a_b"))
        #expect(text.contains("n_layer_a_b_wait{{"))
        #expect(text.contains("n_layer_a_b_wait_2{{"))
        #expect(text.contains("Outage #quot;big#quot; #91;site#93; #35;1 #lt;b#gt;"))
        #expect(!text.contains("<b>"))
        for line in text.split(separator: "\n") where !line.contains("%%") {
            let id = line.trimmingCharacters(in: .whitespaces).prefix { !" ([{>-".contains($0) }
            #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "," }, "bad id in \(line)")
        }
    }

    @Test("Mermaid: the ends of the ladder share a row: links into them are lengthened")
    func mermaidEndsAligned() throws {
        let text = MermaidRenderer().render(try Self.outage())
        // start → resolved spans the whole ladder, so resolved sits beside the other ends.
        let resolve = try #require(text.split(separator: "\n").first { $0.contains("n_start -") && $0.contains("n_end_resolved") })
        #expect(resolve.contains("-...."), "\(resolve)")
    }

    @Test("several policies: a Mermaid subgraph and a DOT cluster per policy; one policy: none")
    func frames() throws {
        let graph = Self.graph()
        let mermaid = MermaidRenderer().render(graph)
        #expect(mermaid.contains("subgraph frame_outage_ [\"Outage"))
        #expect(mermaid.contains("subgraph frame_quiet_ [\"Quiet (quiet)\"]"))
        #expect(mermaid.contains("n_quiet_layer_only["))
        let dot = DOTRenderer().render(graph)
        #expect(dot.contains("subgraph \"cluster_1_outage/\""))
        #expect(dot.contains("subgraph \"cluster_2_quiet/\""))
        let single = try #require(graph.policy("quiet"))
        #expect(!MermaidRenderer().render(single).contains("subgraph"))
        #expect(!DOTRenderer().render(single).contains("subgraph"))
    }

    @Test("DOT: rankdir TB, shapes by kind, labelled edges, escaped labels")
    func dot() throws {
        let dot = DOTRenderer().render(try Self.outage())
        for expected in [
            "rankdir=TB", "shape=diamond", "shape=hexagon", "shape=doublecircle", "shape=circle", "shape=note",
            "shape=tab", "shape=component", "peripheries=2", "label=\"after 15m\"", "label=\"at session.start + 15m\"",
            "label=\"ack\"", "label=\"signal: joined\"", "label=\"yes\"", "label=\"no\"", "label=\"resolve\"",
            "Outage &quot;big&quot; [site] #1 &lt;b&gt;", "rank=same",
        ] {
            #expect(dot.contains(expected), "missing \(expected)")
        }
    }

    @Test("Graphviz renders the DOT of every kind of node to SVG and PNG")
    func graphviz() throws {
        let graphviz = try #require(Graphviz.locate(), Comment(rawValue: SeedPolicies.missingDot))
        let dot = DOTRenderer().render(Self.graph())
        #expect(String(decoding: try graphviz.render(dot, as: .svg), as: UTF8.self).contains("<svg"))
        let png = try graphviz.render(dot, as: .png)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test("Graphviz reports DOT it cannot read")
    func graphvizRejects() throws {
        let graphviz = try #require(Graphviz.locate(), Comment(rawValue: SeedPolicies.missingDot))
        #expect(throws: Graphviz.Failure.self) { try graphviz.render("digraph {", as: .svg) }
    }

    @Test("no dot on PATH: locate returns nil")
    func noDot() {
        #expect(Graphviz.locate(environment: ["PATH": "/nonexistent"]) == nil)
    }
}
