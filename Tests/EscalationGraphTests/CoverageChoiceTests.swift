import EscalationAnalysis
import EscalationCore
import EscalationGraph
import Testing

/// Coverage treats a layer's `choose` as one decision, and analyses each row of a route on its own.
@Suite("Coverage: alternatives and routes")
struct CoverageChoiceTests {
    /// The desk in office hours *instead of* the evening rota: written as one layer with two alternatives.
    static let alternatives = CoverageTests.organisation.replacingOccurrences(
        of: """
                  - id: office-desk
                    when: { during: office }
                    notify: [{ contact: alice }]
                    via: [email]
                    template: page
                    timeout: 15m
                  - id: on-call
                    notify: [{ schedule: evening-rota }]
                    via: [email]
                    template: page
            """,
        with: """
                  - id: first
                    timeout: 15m
                    choose:
                      - when: { during: office }
                        notify: [{ contact: alice }]
                        via: [email]
                        template: page
                      - when: { during: evenings }
                        notify: [{ schedule: evening-rota }]
                        via: [email]
                        template: page
                      - notify: [{ contact: bob }]
                        via: [email]
                        template: page
            """)

    @Test("alternatives that cover the week between them leave no gap, not even in the first layer")
    func noFalseGap() throws {
        #expect(Self.alternatives.contains("choose:"))
        let graph = try CoverageTests.graph(Self.alternatives)
        let policy = try #require(graph.policy("outage"))
        let report = CoverageAnalyzer(graph: graph).analyze(policy, from: try CoverageTests.at("2026-03-05T00:00"), days: 7)
        #expect(report.firstLayerGaps.isEmpty, "\(report.firstLayerGaps.map(\.reasons))")
        #expect(report.ladderGaps.isEmpty)
    }

    @Test("an alternative that is taken but reaches nobody is a gap, named by its number")
    func takenAlternativeReachesNobody() throws {
        // The evening alternative pages a rota that only works office hours: nobody is on call when it is taken.
        let text = Self.alternatives
            .replacingOccurrences(of: "notify: [{ schedule: evening-rota }]", with: "notify: [{ schedule: office-rota }]")
            .replacingOccurrences(
                of: "schedules:\n",
                with: "schedules:\n  office-rota:\n    name: Office rota\n    rotation: { members: [bob], shift: 1d, start: 2026-03-02T09:00, during: office }\n")
        #expect(text.contains("office-rota:"))
        let graph = try CoverageTests.graph(text)
        #expect(graph.schedule("office-rota") != nil)
        let policy = try #require(graph.policy("outage"))
        let report = CoverageAnalyzer(graph: graph).analyze(policy, from: try CoverageTests.at("2026-03-05T00:00"), days: 2)
        let reasons = report.firstLayerGaps.flatMap(\.reasons)
        #expect(reasons.contains { $0.hasPrefix("layer 1 'first' (alternative 2) reaches nobody") }, "\(reasons)")
        #expect(report.firstLayerGaps.first?.startDisplay == "Thu 2026-03-05 17:00 CST")
        #expect(report.firstLayerGaps.first?.endDisplay == "Thu 2026-03-05 23:00 CST")
    }

    @Test("each route row is analysed on its own: a row whose schedule has gaps is a gap 'when FIELD is VALUE'")
    func routeRows() throws {
        let text = CoverageTests.organisation
            .replacingOccurrences(
                of: "policies:\n",
                with: "routes:\n  by-team:\n    by: team\n    to:\n      web: { contact: alice }\n      db: { schedule: evening-rota }\npolicies:\n")
            .replacingOccurrences(
                of: "  outage:\n    name: Outage\n",
                with: "  outage:\n    name: Outage\n    fields:\n      team: { type: enum, values: [web, db], required: true }\n")
            .replacingOccurrences(of: "notify: [{ schedule: evening-rota }]", with: "notify: [{ route: by-team }]")
        #expect(text.contains("route: by-team") && text.contains("routes:"))
        let graph = try CoverageTests.graph(text)
        let policy = try #require(graph.policy("outage"))
        let report = CoverageAnalyzer(graph: graph).analyze(policy, from: try CoverageTests.at("2026-03-05T00:00"), days: 1)
        let reasons = report.ladderGaps.flatMap(\.reasons)
        #expect(reasons.contains { $0.hasPrefix("layer 2 'on-call' reaches nobody when team is 'db'") }, "\(reasons)")
        #expect(!reasons.contains { $0.contains("team is 'web'") })
        #expect(report.notes.contains("layer 2 'on-call' routes by team: each row is analysed as if the incident picked it"))
    }
}
