import EscalationCompiler
import EscalationCore
import EscalationAnalysis
import EscalationGraph
import EscalationPolicy
import Foundation
import Testing

/// Coverage is exact: the windows in which a policy's first layer, or its whole ladder, reaches nobody, across
/// calendars, holidays, a rotation restricted by `during`, an override and the 2026-03-08 DST change in Chicago.
@Suite("Coverage")
struct CoverageTests {
    /// A business-hours-only first layer (office, with Monday 2026-03-09 a holiday) and an evening rotation
    /// (17:00–23:00 only) with an override through the DST night.
    static let organisation = """
        organisation:
          id: acme
          name: Acme
          timezone: America/Chicago
          calendars:
            office:
              hours:
                - { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
              holidays: [2026-03-09]
            evenings:
              hours:
                - { days: [mon, tue, wed, thu, fri, sat, sun], from: "17:00", to: "23:00" }
        contacts:
          alice: { name: Alice, addresses: { email: alice@example.org } }
          bob: { name: Bob, addresses: { email: bob@example.org } }
          carol: { name: Carol, addresses: { email: carol@example.org } }
        channels:
          email: { plugin: email, settings: { host: smtp.example.org, password: "${env:SMTP_PASSWORD}" } }
        templates:
          page: { subject: "Incident", body: "{{ incident.title }}" }
        schedules:
          evening-rota:
            name: Evening rota
            rotation:
              members: [bob, carol]
              shift: 1d
              start: 2026-03-02T17:00
              during: evenings
            overrides:
              - contact: carol
                from: 2026-03-08T01:00
                to: 2026-03-08T04:00
        policies:
          outage:
            name: Outage
            layers:
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
        """

    static func graph(_ text: String = organisation) throws -> RuleGraph {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: text)])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        return GraphCompiler().compile(loaded.organisation)
    }

    static let chicago = ZonedTime.zone("America/Chicago") ?? ZonedTime.utc

    static func at(_ text: String) throws -> Instant { try #require(Instant.parse(text, zone: chicago)) }

    static func report() throws -> CoverageReport {
        let graph = try graph()
        let policy = try #require(graph.policy("outage"))
        return CoverageAnalyzer(graph: graph).analyze(policy, from: try at("2026-03-05T00:00"), days: 6)
    }

    @Test("the first layer reaches nobody outside office hours, holiday and DST included, to the minute")
    func firstLayer() throws {
        let report = try Self.report()
        #expect(report.range.startDisplay == "Thu 2026-03-05 00:00 CST")
        #expect(report.range.endDisplay == "Wed 2026-03-11 00:00 CDT")
        #expect(report.firstLayer == "office-desk")
        #expect(
            report.firstLayerGaps.map { "\($0.startDisplay) – \($0.endDisplay) \($0.duration)" } == [
                "Thu 2026-03-05 00:00 CST – Thu 2026-03-05 09:00 CST 9h",
                "Thu 2026-03-05 17:00 CST – Fri 2026-03-06 09:00 CST 16h",
                // Friday evening to Tuesday morning: the weekend, the Monday holiday and one hour lost to DST.
                "Fri 2026-03-06 17:00 CST – Tue 2026-03-10 09:00 CDT 3d 15h",
                "Tue 2026-03-10 17:00 CDT – Wed 2026-03-11 00:00 CDT 7h",
            ])
        #expect(
            report.firstLayerGaps.map { "\($0.start)/\($0.end)" } == [
                "2026-03-05T00:00:00-06:00/2026-03-05T09:00:00-06:00",
                "2026-03-05T17:00:00-06:00/2026-03-06T09:00:00-06:00",
                "2026-03-06T17:00:00-06:00/2026-03-10T09:00:00-05:00",
                "2026-03-10T17:00:00-05:00/2026-03-11T00:00:00-05:00",
            ])
        #expect(report.firstLayerGaps.allSatisfy { $0.reasons == ["layer 1 'office-desk' is skipped (during office: office is closed)"] })
        #expect(report.firstLayerGapSeconds == (9 + 16 + 87 + 7) * 3_600)
    }

    @Test("the whole ladder reaches nobody when the office is closed and the rotation is outside its hours")
    func wholeLadder() throws {
        let report = try Self.report()
        #expect(
            report.ladderGaps.map { "\($0.startDisplay) – \($0.endDisplay) \($0.duration)" } == [
                "Thu 2026-03-05 00:00 CST – Thu 2026-03-05 09:00 CST 9h",
                "Thu 2026-03-05 23:00 CST – Fri 2026-03-06 09:00 CST 10h",
                "Fri 2026-03-06 23:00 CST – Sat 2026-03-07 17:00 CST 18h",
                // The override (01:00 CST – 04:00 CDT, two real hours) splits the DST night.
                "Sat 2026-03-07 23:00 CST – Sun 2026-03-08 01:00 CST 2h",
                "Sun 2026-03-08 04:00 CDT – Sun 2026-03-08 17:00 CDT 13h",
                // The office is closed on the Monday holiday; the evening rotation is not.
                "Sun 2026-03-08 23:00 CDT – Mon 2026-03-09 17:00 CDT 18h",
                "Mon 2026-03-09 23:00 CDT – Tue 2026-03-10 09:00 CDT 10h",
                "Tue 2026-03-10 23:00 CDT – Wed 2026-03-11 00:00 CDT 1h",
            ])
        #expect(
            report.ladderGaps.map { "\($0.start)/\($0.end)" } == [
                "2026-03-05T00:00:00-06:00/2026-03-05T09:00:00-06:00",
                "2026-03-05T23:00:00-06:00/2026-03-06T09:00:00-06:00",
                "2026-03-06T23:00:00-06:00/2026-03-07T17:00:00-06:00",
                "2026-03-07T23:00:00-06:00/2026-03-08T01:00:00-06:00",
                "2026-03-08T04:00:00-05:00/2026-03-08T17:00:00-05:00",
                "2026-03-08T23:00:00-05:00/2026-03-09T17:00:00-05:00",
                "2026-03-09T23:00:00-05:00/2026-03-10T09:00:00-05:00",
                "2026-03-10T23:00:00-05:00/2026-03-11T00:00:00-05:00",
            ])
        let reasons = try #require(report.ladderGaps.first?.reasons)
        #expect(
            reasons == [
                "layer 1 'office-desk' is skipped (during office: office is closed)",
                "layer 2 'on-call' reaches nobody (nobody is on call in schedule evening-rota: the rotation's calendar evenings is closed and no override applies)",
            ])
        #expect(report.notes.isEmpty)
    }

    @Test("every 5 minutes of the range agrees with the windows (an independent brute-force check)")
    func bruteForce() throws {
        let graph = try Self.graph()
        let policy = try #require(graph.policy("outage"))
        let report = CoverageAnalyzer(graph: graph).analyze(policy, from: try Self.at("2026-03-05T00:00"), days: 6)
        let evaluator = ConditionEvaluator(graph: graph, looksAhead: false)
        let resolver = TargetResolver(graph: graph)
        func reaches(_ layer: LadderLayer, _ instant: Instant) -> Bool {
            if let condition = layer.condition, evaluator.evaluate(condition, at: instant, fields: nil).verdict == .fails { return false }
            return resolver.resolve(layer.step, at: instant, fields: nil).reachesAnyone
        }
        var instant = report.range.span.start
        while instant < report.range.span.end {
            let ladder = policy.ladder
            let firstGap = report.firstLayerGaps.contains { $0.span.contains(instant) }
            let wholeGap = report.ladderGaps.contains { $0.span.contains(instant) }
            #expect(firstGap == !reaches(ladder[0], instant), "first layer at \(instant)")
            #expect(wholeGap == !ladder.contains { reaches($0, instant) }, "whole ladder at \(instant)")
            instant = instant.adding(seconds: 300)
        }
    }

    @Test("field targets count as reached, and the report says so")
    func fieldTargets() throws {
        let text = Self.organisation.replacingOccurrences(
            of: """
                    layers:
                      - id: office-desk
                """,
            with: """
                    fields:
                      owner: { type: contact, required: true }
                    layers:
                      - id: tag-owner
                        notify: [{ field: owner }]
                        via: [email]
                        template: page
                        timeout: 5m
                      - id: office-desk
                """)
        let graph = try Self.graph(text)
        let policy = try #require(graph.policy("outage"))
        let report = CoverageAnalyzer(graph: graph).analyze(policy, from: try Self.at("2026-03-05T00:00"), days: 6)
        #expect(report.firstLayer == "tag-owner")
        #expect(report.firstLayerGaps.isEmpty)
        #expect(report.ladderGaps.isEmpty)
        #expect(report.notes == ["first layer 'tag-owner' reaches only incident field owner, unknown until an incident: counted as reached"])
    }

    @Test("the text report lists each window with its length and reasons")
    func text() throws {
        let report = try Self.report()
        let text = report.text
        #expect(text.hasPrefix("policy outage (Outage)\n  first layer 'office-desk' reaches nobody in 4 windows, 4d 23h in total:\n"))
        #expect(text.contains("    Fri 2026-03-06 17:00 CST – Tue 2026-03-10 09:00 CDT  3d 15h\n"))
        #expect(text.contains("  the whole ladder reaches nobody in 8 windows, 3d 9h in total:\n"))
        #expect(report.heading == "coverage of acme from Thu 2026-03-05 00:00 CST to Wed 2026-03-11 00:00 CDT (6 days), times in America/Chicago")
        let json = try ReportJSON.encode(report)
        #expect(json.contains("\"start\" : \"2026-03-08T04:00:00-05:00\""))
        #expect(json.contains("\"ladderGapSeconds\" : \(report.ladderGapSeconds)"))
    }
}
