import EscalationCore
import EscalationAnalysis
import EscalationGraph
import EscalationPolicy
import EscalationSimulator
import Foundation
import Testing

/// `explain` and `route` on the seed organisations, target resolution reasons, and incident files.
@Suite("Explain and route")
struct ExplainRouteTests {
    static let denver = ZonedTime.zone("America/Denver") ?? ZonedTime.utc

    static func explain(at text: String, fields: [String: String] = [:]) throws -> PolicyExplanation {
        let graph = try SeedPolicies.graph("focus-it")
        let policy = try #require(graph.policy("urgent-need-us"))
        let instant = try #require(Instant.parse(text, zone: denver))
        return PolicyExplainer(graph: graph).explain(policy, at: instant, fields: fields)
    }

    @Test("after hours the onsite layer is skipped and the hotline rotation is reached, with its shift")
    func explainAfterHours() throws {
        let explanation = try Self.explain(at: "2026-03-07T22:00", fields: ["reporter": "roy-floor1-supervisor"])
        #expect(explanation.atDisplay == "Sat 2026-03-07 22:00 MST")
        let local = try #require(explanation.layers.first { $0.id == "us-local-tech" })
        #expect(!local.runs)
        #expect(local.verdict == "fails")
        #expect(local.checks.map(\.calendarOpen) == [false])
        #expect(local.checks.first?.nextChange == "2026-03-09T07:00:00-06:00")
        let hotline = try #require(explanation.layers.first { $0.id == "us-hotline" })
        #expect(hotline.runs)
        let onCall = try #require(hotline.notify.first?.contacts.first)
        #expect(onCall.reasonKind == "rotation")
        #expect(onCall.schedule == "it-hotline")
        #expect(onCall.from == "2026-03-02T08:00:00-07:00")
        #expect(onCall.to == "2026-03-09T08:00:00-06:00")
        #expect(onCall.reason.hasPrefix("on call in schedule it-hotline (rotation shift "))
        #expect(!onCall.channels.isEmpty)
        let post = try #require(explanation.layers.first)
        #expect(post.tasks.first?.assignee?.contacts.map(\.reasonKind) == ["field"])
        #expect(post.tasks.first?.assignee?.contacts.map(\.id) == ["roy-floor1-supervisor"])
        let text = explanation.text
        #expect(text.contains("2. us-local-tech (Local IT Desktop Support staff (onsite hours)): skipped\n"))
        #expect(text.contains("     during us-it-onsite: us-it-onsite is closed (opens Mon 2026-03-09 07:00 MDT)\n"))
    }

    @Test("in onsite hours the local staff are reached as group members and the hotline layer is skipped")
    func explainOnsite() throws {
        let explanation = try Self.explain(at: "2026-03-09T10:00-06:00")
        let local = try #require(explanation.layers.first { $0.id == "us-local-tech" })
        #expect(local.runs)
        #expect(local.checks.first?.nextChange == "2026-03-09T18:00:00-06:00")
        #expect(local.notify.first?.contacts.allSatisfy { $0.reasonKind == "group" && $0.group == "us-local-it" } == true)
        #expect(local.notify.first?.contacts.isEmpty == false)
        #expect(explanation.layers.first { $0.id == "us-hotline" }?.runs == false)
        // No reporter given: the task assignee is named as missing, and so are the required fields.
        #expect(explanation.layers.first?.tasks.first?.assignee?.problem == "incident field 'reporter' is not given")
        #expect(explanation.notes.contains { $0.hasPrefix("required fields not given") })
    }

    @Test("route: the higher priority wins among matches; a policy with no match takes everything")
    func routeCareportal() throws {
        let graph = try SeedPolicies.graph("careportal-support")
        let router = PolicyRouter(graph: graph)
        let systemWide = router.route(["impact": "system-wide", "summary": "Login fails"])
        #expect(systemWide.winner == "system-wide-issue")
        #expect(systemWide.candidates.map(\.matches) == [true, true])
        #expect(systemWide.reason.contains("highest priority (10"))
        let ticket = router.route(["summary": "Password reset", "impact": "one-user"])
        #expect(ticket.winner == "support-ticket")
        #expect(ticket.reason == "'support-ticket' is the only policy whose match holds")
        let check = try #require(ticket.candidates.last?.checks.first)
        #expect(check.field == "impact" && check.actual == "one-user" && !check.holds)
        #expect(ticket.text.contains("   ✗ impact = one of large-group, system-wide: 'one-user'\n"))
    }

    @Test("route: no policy matches an unknown region, and file order breaks a tie")
    func routeFocus() throws {
        let graph = try SeedPolicies.graph("focus-it")
        let none = PolicyRouter(graph: graph).route(["region": "mars", "urgency": "urgent"])
        #expect(none.winner == nil)
        #expect(none.text.hasSuffix("→ no policy takes the incident: no policy's match holds for these fields\n"))
        var tied = graph
        tied.policies = graph.policies.map { policy in
            var policy = policy
            policy.match = ["urgency": ["urgent"]]
            return policy
        }
        let decision = PolicyRouter(graph: tied).route(["urgency": "urgent"])
        #expect(decision.winner == graph.policies.first?.id)
        #expect(decision.reason.contains("comes first in file order"))
    }

    @Test("targets resolve with reasons: override, pending and given fields, undeclared contacts")
    func resolver() throws {
        let graph = try CoverageTests.graph()
        let resolver = TargetResolver(graph: graph)
        let night = try #require(Instant.parse("2026-03-08T01:30", zone: CoverageTests.chicago))
        let onCall = resolver.resolve(.schedule("evening-rota"), at: night, fields: nil)
        #expect(onCall.recipients.map(\.contact) == ["carol"])
        #expect(
            onCall.recipients.first?.reason.describe(in: CoverageTests.chicago)
                == "on call in schedule evening-rota (override Sun 2026-03-08 01:00 CST – Sun 2026-03-08 04:00 CDT)")
        let field = CompiledTarget.field("owner")
        #expect(resolver.resolve(field, at: night, fields: nil).pendingField)
        let given = resolver.resolve(field, at: night, fields: ["owner": "alice, bob"])
        #expect(given.recipients.map(\.contact) == ["alice", "bob"])
        #expect(given.recipients.first?.channelSource == .fallback)
        let unknown = resolver.resolve(field, at: night, fields: ["owner": "zed"])
        #expect(unknown.recipients.isEmpty && unknown.problem == "contact 'zed' not declared")
        let noon = try #require(Instant.parse("2026-03-08T12:00", zone: CoverageTests.chicago))
        let gap = resolver.resolve(.schedule("evening-rota"), at: noon, fields: nil)
        #expect(gap.recipients.isEmpty && gap.problem?.contains("calendar evenings is closed") == true)
    }

    @Test("conditions: calendars and fields, three-valued before an incident")
    func conditions() throws {
        let graph = try CoverageTests.graph()
        let evaluator = ConditionEvaluator(graph: graph)
        let monday = try #require(Instant.parse("2026-03-10T10:00", zone: CoverageTests.chicago))
        let condition = CompiledCondition.when(during: "office", fields: ["severity": ["critical", "major"]])
        #expect(evaluator.evaluate(condition, at: monday, fields: nil).verdict == .unknown)
        #expect(evaluator.evaluate(condition, at: monday, fields: ["severity": "major"]).verdict == .holds)
        #expect(evaluator.evaluate(condition, at: monday, fields: [:]).verdict == .fails)
        let evening = monday.adding(seconds: 8 * 3_600)
        let closed = evaluator.evaluate(condition, at: evening, fields: nil)
        #expect(closed.verdict == .fails)
        #expect(closed.failures == "during office: office is closed (opens Wed 2026-03-11 09:00 CDT)")
        let unknownCalendar = CompiledCondition.when(outside: "nowhere")
        #expect(evaluator.evaluate(unknownCalendar, at: monday, fields: [:]).verdict == .fails)
    }

    @Test("incident files: flat JSON, {fields: …}, YAML with nested maps and lists")
    func incidentFiles() throws {
        #expect(try IncidentFieldsReader.parse(#"{"impact": "system-wide", "count": 3, "none": null}"#, file: "a.json") == ["impact": "system-wide", "count": "3"])
        #expect(try IncidentFieldsReader.parse(#"{"fields": {"region": "us"}}"#, file: "b.json") == ["region": "us"])
        let yaml = """
            session:
              start: 2026-03-09T10:00
            locations: [roy, bacolod]
            ok: true
            """
        #expect(
            try IncidentFieldsReader.parse(yaml, file: "c.yaml") == ["session.start": "2026-03-09T10:00", "locations": "roy, bacolod", "ok": "true"])
        #expect(throws: IncidentFieldsReader.Problem.self) { try IncidentFieldsReader.parse("[1, 2]", file: "d.yaml") }
    }
}
