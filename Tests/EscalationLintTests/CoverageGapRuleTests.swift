import EscalationAnalysis
import EscalationCore
import EscalationGraph
@testable import EscalationLint
import EscalationPolicy
import Foundation
import Testing

/// `CoverageGapRule` reads `CoverageAnalyzer.ladderGaps(of:over:)` and formats only a reported gap. This pins its
/// diagnostics against the rule as it was (a full `analyze` report per policy), kept here as the oracle, on the bundled
/// organisations, the rule's examples and 300 random organisations with calendars, rotations and conditions.
@Suite("Coverage gap rule")
struct CoverageGapRuleTests {

    /// The rule's `validate` as it was: a full report per policy.
    static func reference(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        let rule = CoverageGapRule()
        let graph = context.graph
        let analyzer = CoverageAnalyzer(graph: graph)
        let start = CoverageGapRule.referenceInstant(for: graph)
        var result: [Diagnostic] = []
        for compiled in graph.policies {
            guard let policy = context.organisation.policy(compiled.id), !policy.layers.isEmpty, !dangling(compiled, in: graph) else { continue }
            let report = analyzer.analyze(compiled, from: start, days: CoverageGapRule.days)
            guard let first = report.ladderGaps.first else { continue }
            let count = report.ladderGaps.count
            let windows = count == 1 ? "1 window" : "\(count) windows"
            result.append(
                rule.kind(
                    "policy '\(compiled.id)' reaches nobody in \(windows) (\(CoverageWindow.duration(report.ladderGapSeconds)) in total) in the \(CoverageGapRule.days) days from \(report.range.startDisplay); the first is \(first.startDisplay) – \(first.endDisplay) (\(first.duration)): \(first.reasons.joined(separator: "; "))",
                    at: policy.id.location,
                    hint: "add a layer that reaches someone at those times (a group, or a schedule without gaps), or widen the calendar or rotation hours; `escalate coverage` lists every window"))
        }
        return result
    }

    /// The rule's `dangling` as it was.
    static func dangling(_ policy: CompiledPolicy, in graph: RuleGraph) -> Bool {
        for choice in policy.ladder.flatMap(\.choices) {
            for id in [choice.condition?.during, choice.condition?.outside].compactMap({ $0 }) where graph.calendar(id) == nil { return true }
            let targets = choice.step.targets + choice.step.cc + choice.step.tasks.compactMap(\.assignee)
            for target in targets.flatMap({ $0.kind == "route" ? (graph.route($0.ref).map { $0.branches.flatMap(\.targets) } ?? [$0]) : [$0] }) {
                switch target.kind {
                case "contact": if graph.contact(target.ref) == nil { return true }
                case "group":
                    guard let group = graph.group(target.ref) else { return true }
                    if group.members.contains(where: { graph.contact($0) == nil }) { return true }
                case "schedule":
                    guard let schedule = graph.schedule(target.ref) else { return true }
                    if let during = schedule.during, graph.calendar(during) == nil { return true }
                    if (schedule.members + schedule.overrides.map(\.contact)).contains(where: { graph.contact($0) == nil }) { return true }
                case "route": return true
                default: break
                }
            }
        }
        return false
    }

    /// Fails unless the rule and the oracle agree; returns how many diagnostics there were.
    @discardableResult
    static func expectSame(_ loaded: PolicyLoader.Loaded, _ what: String) -> Int {
        let context = LintContext(organisation: loaded.organisation, loadDiagnostics: loaded.diagnostics)
        let new = CoverageGapRule().validate(context)
        let old = reference(context)
        #expect(new.map(\.description) == old.map(\.description), "\(what)")
        #expect(new == old, "\(what)")
        return old.count
    }

    @Test("the bundled organisations and the rule's examples")
    func bundledAndExamples() throws {
        for files in try LintLabelsTests.bundled() { Self.expectSame(PolicyLoader().load(files: files), files[0].path) }
        var reported = 0
        let description = CoverageGapRule.description
        for example in description.triggeringExamples + description.nonTriggeringExamples {
            let files = [("base.yaml", RuleExample.baseOrganisation), ("example.yaml", example.text)]
            reported += Self.expectSame(PolicyLoader().load(files: example.standalone ? [files[1]] : files), "\(example)")
        }
        #expect(reported == description.triggeringExamples.count)
    }

    /// A random organisation: two calendars in a random zone, two rotations (some during a calendar, some with an
    /// override) and three policies of 1-3 layers with random conditions and targets.
    static func randomOrganisation(_ rng: inout SplitMix64) -> String {
        func below(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let zones = ["UTC", "America/Chicago", "Europe/London", "Australia/Sydney"]
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        var text = "organisation:\n  id: random\n  name: Random\n  timezone: \(zones[below(zones.count)])\n  calendars:\n"
        for id in ["office", "evenings"] {
            let chosen = days.filter { _ in below(3) > 0 }
            let from = below(24)
            let to = min(24, from + 1 + below(12))
            text += "    \(id):\n      hours:\n        - { days: [\((chosen.isEmpty ? ["mon"] : chosen).joined(separator: ", "))], from: \"\(two(from)):00\", to: \"\(two(to)):00\" }\n"
        }
        let contacts = ["alice", "bob", "carol"]
        text += "contacts:\n"
        for id in contacts { text += "  \(id): { name: \(id.capitalized), addresses: { email: \(id)@example.org } }\n" }
        text += "groups:\n  team: { name: Team, members: [alice, bob, carol] }\n"
        text += "channels:\n  email: { plugin: email, settings: { host: smtp.example.org, password: \"${env:SMTP_PASSWORD}\" } }\n"
        text += "templates:\n  page: { subject: \"Incident\", body: \"{{ incident.title }}\" }\nschedules:\n"
        for number in 1...2 {
            text += "  rota-\(number):\n    name: Rota \(number)\n    rotation:\n      members: [\(contacts.prefix(1 + below(3)).joined(separator: ", "))]\n"
            text += "      shift: \(["12h", "1d", "3d", "1w"][below(4)])\n      start: 2026-\(two(1 + below(12)))-\(two(1 + below(28)))T\(two(below(24))):00\n"
            if below(2) == 0 { text += "      during: \(below(2) == 0 ? "office" : "evenings")\n" }
            if below(3) == 0 {
                let month = 1 + below(12)
                let day = 1 + below(26)
                text += "    overrides:\n      - contact: \(contacts[below(3)])\n        from: 2026-\(two(month))-\(two(day))T09:00\n        to: 2026-\(two(month))-\(two(day + 2))T09:00\n"
            }
        }
        text += "policies:\n"
        for number in 1...3 {
            text += "  policy-\(number):\n    name: Policy \(number)\n    layers:\n"
            let count = 1 + below(3)
            for layer in 1...count {
                text += "      - id: layer-\(layer)\n"
                switch below(4) {
                case 0: text += "        when: { during: \(below(2) == 0 ? "office" : "evenings") }\n"
                case 1: text += "        when: { outside: \(below(2) == 0 ? "office" : "evenings") }\n"
                default: break
                }
                let targets = ["{ schedule: rota-1 }", "{ schedule: rota-2 }", "{ group: team }", "{ contact: \(contacts[below(3)]) }"]
                text += "        notify: [\(targets[below(targets.count)])]\n        via: [email]\n        template: page\n"
                if layer < count { text += "        timeout: 15m\n" }
            }
        }
        return text
    }

    @Test("300 random organisations")
    func random() {
        var rng = SplitMix64(seed: 0x6A9)
        var reported = 0
        for round in 0..<300 {
            let text = Self.randomOrganisation(&rng)
            let loaded = PolicyLoader().load(files: [("random.yaml", text)])
            #expect(!loaded.diagnostics.contains { $0.severity == .error }, "round \(round): \(loaded.diagnostics)\n\(text)")
            reported += Self.expectSame(loaded, "round \(round):\n\(text)")
        }
        // Many organisations have gaps, so the messages are compared, not only empty lists.
        #expect(reported > 150)
    }
}
