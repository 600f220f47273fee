import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Foundation
import Testing

/// The one HTML rendering of a timeline (`TimelineHTML`), which the HTML export and the console share.
@Suite("Simulator: the shared HTML timeline")
struct TimelineHTMLTests {
    static let yaml = """
        organisation: { id: acme, name: "Acme & <Sons>", timezone: America/Chicago }
        contacts:
          pat: { name: Pat, addresses: { email: pat@example.org } }
          sam: { name: Sam, addresses: { email: sam@example.org } }
        channels:
          email: { plugin: email }
        templates:
          page: { subject: "{{ incident.title }}", body: "{{ incident.title }}" }
        policies:
          outage:
            name: "Outage <script>alert(1)</script>"
            layers:
              - { id: first-layer-with-a-long-name, notify: [{ contact: pat }], template: page, timeout: 10m }
              - { id: second, notify: [{ contact: sam }], template: page, timeout: 10m }
        """

    static func timeline(script: [String] = []) throws -> (RuleGraph, Timeline) {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: yaml)])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty)
        let graph = GraphCompiler().compile(loaded.organisation)
        var document = ScenarioFile(policy: "outage", title: "Disk <b>full</b> & \"slow\"", fields: [:], respond: script)
        document.start = "2026-03-04T10:00"
        let scenario = try ScenarioBuilder(graph: graph).scenario(from: document, now: Instant(seconds: 0))
        return (graph, try Simulator(graph: graph).run(scenario))
    }

    @Test("The HTML export is the shared list and stylesheet in a page, with a viewport and no inline style attributes")
    func exportUsesTheSharedRenderer() throws {
        let (_, timeline) = try Self.timeline(script: ["sam acks at +12m"])
        let page = TimelineRenderer.render(timeline, as: .html)
        #expect(page.contains(TimelineHTML.list(timeline, id: "timeline")))
        #expect(page.contains(TimelineHTML.css))
        #expect(page.contains(TimelineHTML.result(timeline)))
        #expect(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(!page.contains("style=\""), "no inline style attributes")
        // The layout that overlapped: an absolutely placed time column and a bar over the headings.
        #expect(!TimelineHTML.css.contains("left: -8rem") && !page.contains("class=\"bar\""))
        #expect(TimelineHTML.css.contains("@media (max-width: 30rem)"))
        let list = TimelineHTML.list(timeline)
        #expect(list.components(separatedBy: "<li class=\"tl-entry").count - 1 == timeline.entries.count)
        #expect(list.contains("<time class=\"tl-wall\" datetime=\"2026-03-04T10:00:00-06:00\">Wed 2026-03-04 10:00 CST</time>"))
        #expect(list.contains("<li class=\"tl-entry tl-acknowledge\">"))
    }

    @Test("Every value is escaped: titles, names and organisation in the list and the page")
    func escaping() throws {
        let (_, timeline) = try Self.timeline()
        let page = TimelineRenderer.render(timeline, as: .html)
        #expect(!page.contains("<script>") && !page.contains("<b>full"))
        #expect(page.contains("Outage &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("Acme &amp; &lt;Sons&gt;"))
        #expect(page.contains("<q class=\"tl-subject\">Disk &lt;b&gt;full&lt;/b&gt; &amp; &quot;slow&quot;</q>"))
        #expect(HTMLEscaping.escape("a&b<c>d\"e'f\u{0}") == "a&amp;b&lt;c&gt;d&quot;e&#39;f\u{FFFD}")
    }

    @Test("A limit lists the first entries and says how many were left out; the bar marks how far into the rehearsal")
    func limit() throws {
        let (_, timeline) = try Self.timeline()
        #expect(timeline.entries.count > 2)
        let list = TimelineHTML.list(timeline, id: "x", limit: 2)
        #expect(list.hasPrefix("<ol class=\"tl\" id=\"x\">"))
        #expect(list.components(separatedBy: "<li ").count - 1 == 2)
        #expect(list.contains("<p class=\"tl-more\">\(timeline.entries.count - 2) more entries not shown.</p>"))
        #expect(list.contains("<rect class=\"tl-done\" width=\"0.00\""))
    }

    @Test("Monte Carlo samples give the report `simulate --runs` prints, and keep every delay for a chart")
    func samples() throws {
        let (graph, _) = try Self.timeline()
        let scenario = Scenario(policy: "outage", fields: [:], start: Instant(seconds: 1_772_640_000))
        let answers = [AnswerModel(contact: "pat", probability: 0.4, withinSeconds: 300), AnswerModel(contact: "sam", probability: 0.6, withinSeconds: 300)]
        let samples = try MonteCarlo(graph: graph).samples(scenario, answers: answers, runs: 200, seed: 3)
        let report = try MonteCarlo(graph: graph).run(scenario, answers: answers, runs: 200, seed: 3)
        #expect(samples.report == report)
        #expect(samples.delays.count == samples.report.acknowledged)
        #expect(samples.delays == samples.delays.sorted())
        #expect(samples.neverAcknowledged == 200 - samples.delays.count)
        #expect(samples.notificationCounts.count == 200)
    }
}
