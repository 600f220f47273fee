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
        let policy = try #require(graph.policy("urgent-need"))
        let instant = try #require(Instant.parse(text, zone: denver))
        return PolicyExplainer(graph: graph).explain(policy, at: instant, fields: fields)
    }

    @Test("after hours every onsite alternative fails and the hotline (the otherwise) is chosen, with its shift")
    func explainAfterHours() throws {
        let explanation = try Self.explain(at: "2026-03-07T22:00", fields: ["reporter": "roy-floor1-supervisor", "region": "us"])
        #expect(explanation.atDisplay == "Sat 2026-03-07 22:00 MST")
        let first = try #require(explanation.layers.first { $0.id == "first-response" })
        #expect(first.runs)
        #expect(first.alternatives?.count == 4)
        #expect(first.alternatives?.last == "4. IT Desktop Support hotline: otherwise ← chosen")
        #expect(first.alternatives?.first?.hasSuffix("region = us: fails") == true)
        let onCall = try #require(first.notify.first?.contacts.first)
        #expect(onCall.reasonKind == "rotation")
        #expect(onCall.schedule == "it-hotline")
        #expect(onCall.from == "2026-03-02T08:00:00-07:00")
        #expect(onCall.to == "2026-03-09T08:00:00-06:00")
        #expect(onCall.reason.hasPrefix("on call in schedule it-hotline (rotation shift "))
        #expect(!onCall.channels.isEmpty)
        let post = try #require(explanation.layers.first)
        #expect(post.tasks.first?.assignee?.contacts.map(\.reasonKind) == ["field"])
        #expect(post.tasks.first?.assignee?.contacts.map(\.id) == ["roy-floor1-supervisor"])
        #expect(post.notify.first?.route == "region = us → contact:it-event-united-states")
        let text = explanation.text
        #expect(text.contains("2. first-response (Local IT staff while onsite, else the hotline): runs\n"))
        #expect(text.contains("   notify route:it-event-group (region = us → contact:it-event-united-states)\n"))
    }

    @Test("in onsite hours the region's local staff alternative is chosen; the region picks the routes' rows")
    func explainOnsite() throws {
        let explanation = try Self.explain(at: "2026-03-09T10:00-06:00", fields: ["region": "us"])
        let first = try #require(explanation.layers.first { $0.id == "first-response" })
        #expect(first.runs)
        #expect(first.checks.first?.nextChange == "2026-03-09T18:00:00-06:00")
        #expect(first.notify.first?.contacts.allSatisfy { $0.reasonKind == "group" && $0.group == "us-local-it" } == true)
        #expect(first.notify.first?.contacts.isEmpty == false)
        #expect(first.alternatives?.first?.hasSuffix("← chosen") == true)
        let philippines = try Self.explain(at: "2026-03-09T10:00-06:00", fields: ["region": "philippines"])
        let hotline = try #require(philippines.layers.first { $0.id == "first-response" })
        #expect(hotline.notify.first?.target == "schedule:it-hotline", "01:00 in Manila: nobody onsite")
        let admin = try #require(philippines.layers.first { $0.id == "to-regional-admin" })
        #expect(admin.notify.first?.contacts.map(\.id) == ["ph-regional-admin"])
        // No reporter given: the task assignee is named as missing, and so are the required fields.
        #expect(explanation.layers.first?.tasks.first?.assignee?.problem == "incident field 'reporter' is not given")
        #expect(explanation.notes.contains { $0.hasPrefix("required fields not given") })
        let unknown = try Self.explain(at: "2026-03-09T10:00-06:00", fields: ["region": "mars"])
        #expect(unknown.layers.first?.notify.first?.problem == "route 'it-event-group' has no row for region = 'mars' and no default")
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

    @Test("route: no policy matches a non-urgent request, and file order breaks a tie")
    func routeFocus() throws {
        let graph = try SeedPolicies.graph("focus-it")
        let none = PolicyRouter(graph: graph).route(["region": "us", "urgency": "normal"])
        #expect(none.winner == nil)
        #expect(none.text.hasSuffix("→ no policy takes the incident: no policy's match holds for these fields\n"))
        let two = try SeedPolicies.graph("careportal-support")
        var tied = two
        tied.policies = two.policies.map { policy in
            var policy = policy
            policy.match = ["impact": ["one-user"]]
            policy.priority = 0
            return policy
        }
        let decision = PolicyRouter(graph: tied).route(["impact": "one-user"])
        #expect(decision.winner == two.policies.first?.id)
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
