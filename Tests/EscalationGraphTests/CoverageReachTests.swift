@testable import EscalationAnalysis
import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Testing

/// `ladderGaps(of:over:reasonedWindows:)` decides whether a layer reaches nobody without building a reason
/// (`unreached`, `reachesSomeone`) and builds a reason only for a window asked for. This pins both against `states`
/// (which builds every reason, the computation it replaced, kept as the oracle): at every change point each layer's
/// table entry is nil exactly where the old state is, and the reason built at the recorded instant is the old state's
/// text; and the gaps with only the first k windows reasoned are the full gaps with the others' reasons left empty.
/// The organisations are `CoverageStatesTests`' random ones with a policy added that mixes alternatives, field, outcome
/// and signal conditions, routes, field targets, task assignees, an empty group and undeclared ids.
@Suite("Coverage: reach without reasons")
struct CoverageReachTests {
    /// One more policy (and the routes and group it names), drawn at random.
    static func extraPolicy(_ rng: inout CoverageRandom) -> (routes: String, policy: String) {
        let calendars = ["office", "evenings", "nowhere"]
        let targets = [
            "{ schedule: rota-1 }", "{ schedule: rota-2 }", "{ schedule: rota-3 }", "{ schedule: missing-rota }", "{ group: team }",
            "{ group: empty }", "{ group: missing-group }", "{ contact: alice }", "{ contact: nobody }", "{ field: owner }",
            "{ route: by-team }", "{ route: by-region }", "{ route: missing-route }",
        ]
        func condition() -> String {
            var parts: [String] = []
            if rng.below(2) == 0 { parts.append("during: \(calendars[rng.below(calendars.count)])") }
            if rng.below(3) == 0 { parts.append("outside: \(calendars[rng.below(calendars.count)])") }
            if rng.below(4) == 0 { parts.append("fields: { team: web }") }
            if rng.below(6) == 0 { parts.append("outcome: fixed") }
            if rng.below(6) == 0 { parts.append("seen: posted") }
            return parts.isEmpty ? "" : "when: { \(parts.joined(separator: ", ")) }"
        }
        func step(_ indent: String) -> String {
            var text = "notify: [\((0..<(1 + rng.below(2))).map { _ in targets[rng.below(targets.count)] }.joined(separator: ", "))]\n"
            if rng.below(3) == 0 { text += "\(indent)cc: [\(targets[rng.below(targets.count)])]\n" }
            if rng.below(3) == 0 { text += "\(indent)tasks: [{ title: Look, assignee: \(targets[rng.below(targets.count)]) }]\n" }
            return text + "\(indent)via: [email]\n\(indent)template: page\n"
        }
        let routes = """
            routes:
              by-team:
                by: team
                to:
                  web: { contact: bob }
                  db: { schedule: rota-\(1 + rng.below(3)) }
              by-region:
                by: region
                to:
                  us: { schedule: rota-\(1 + rng.below(3)) }
                  eu: { group: empty }
                  default: { schedule: rota-\(1 + rng.below(3)) }

            """
        var policy = """
              mixed:
                name: Mixed
                fields:
                  team: { type: enum, values: [web, db] }
                  region: { type: enum, values: [us, eu, ap] }
                  owner: { type: contact }
                layers:

            """
        let count = 1 + rng.below(4)
        for layer in 1...count {
            policy += "      - id: layer-\(layer)\n"
            if rng.below(2) == 0 {
                policy += "        choose:\n"
                for _ in 0..<(1 + rng.below(3)) {
                    let when = condition()
                    policy += "          - \(when.isEmpty ? "" : when + "\n            ")\(step("            "))"
                }
            } else {
                let when = condition()
                if !when.isEmpty { policy += "        \(when)\n" }
                policy += "        \(step("        "))"
            }
            if layer < count { policy += "        timeout: 15m\n" }
        }
        return (routes, policy)
    }

    /// A random organisation of `CoverageStatesTests` with the extra policy.
    static func organisation(_ rng: inout CoverageRandom) -> String {
        let base = CoverageStatesTests.organisation(&rng)
        let (routes, policy) = extraPolicy(&rng)
        return base
            .replacingOccurrences(of: "groups:\n", with: "groups:\n  empty: { name: Empty, members: [] }\n")
            .replacingOccurrences(of: "policies:\n", with: routes + "policies:\n") + policy
    }

    @Test("500 random organisations: the same states, reasons built only where asked")
    func random() async throws {
        var rng = CoverageRandom(seed: 0x2EAC_2026)
        var unreached = 0
        var reached = 0
        var windows = 0
        var layers = 0
        var routed = 0
        for _ in 0..<500 {
            await Task.yield()  // a long test: lets the timing-sensitive tests that share the pool run
            let text = Self.organisation(&rng)
            let graph = GraphCompiler().compile(PolicyLoader().load(files: [(path: "random.yaml", text: text)]).organisation)
            let mixed = try #require(graph.policy("mixed"), "\(text)")
            layers += mixed.ladder.count
            let analyzer = CoverageAnalyzer(graph: graph)
            let start = ZonedTime.instant(LocalDate(year: 2026, month: 1 + rng.below(12), day: 1 + rng.below(28)), minutes: rng.below(1_440), in: ZonedTime.utc)
            let span = analyzer.range(from: start, days: 3 + rng.below(26))
            for policy in graph.policies {
                let ladder = policy.ladder
                // The route variants without `routeVariants` for a step with no route target, cc or assignee.
                for choice in ladder.flatMap(\.choices) {
                    #expect(CoverageAnalyzer.variants(of: choice.step, in: graph) == graph.routeVariants(of: choice.step).map(\.step))
                    routed += graph.routeVariants(of: choice.step).count > 1 ? 1 : 0
                }
                var memo = ChangePointMemo()
                let points = analyzer.changePoints(for: ladder, in: span, memo: &memo)
                // Sorted and distinct (they were a set's, sorted), from the span's start.
                #expect(zip(points, points.dropFirst()).allSatisfy { $0 < $1 } && points.first == span.start)
                let own = ladder.map { analyzer.changePoints(for: [$0], in: span) }
                #expect(CoverageAnalyzer.ladderPoints(own: own, in: span) == points, "\(policy.id): the ladder's points from its layers'")
                #expect(CoverageAnalyzer.ladderPoints(own: own, in: TimeSpan(start: span.end, end: span.end)).isEmpty)
                let old = analyzer.states(of: ladder, at: points, in: span, memo: &memo)
                var fresh = ChangePointMemo()
                let (table, inputs) = analyzer.unreached(of: ladder, at: points, in: span, own: rng.below(2) == 0 ? own : nil, memo: &fresh)
                #expect(table.count == old.count)
                for (number, (states, instants)) in zip(old, table).enumerated() {
                    #expect(states.count == instants.count)
                    for (state, instant) in zip(states, instants) {
                        #expect((state == nil) == (instant == nil), "\(policy.id) layer \(number + 1)\n\(text)")
                        if let instant {
                            #expect(analyzer.state(of: ladder[number], at: instant, inputs: inputs[number]) == state)
                            unreached += 1
                        } else {
                            reached += 1
                        }
                    }
                }
            }
            let ladders = graph.policies.map(\.ladder)
            let full = analyzer.ladderGaps(of: ladders, over: span)
            for (policy, gaps) in zip(graph.policies, full) {
                let report = analyzer.analyze(policy, over: span, days: 28)
                #expect(gaps.map(\.span) == report.ladderGaps.map(\.span))
                #expect(gaps.map(\.reasons) == report.ladderGaps.map(\.reasons))
                windows += gaps.count
            }
            let limit = rng.below(3)
            let partial = analyzer.ladderGaps(of: ladders, over: span, reasonedWindows: limit)
            for (some, all) in zip(partial, full) {
                #expect(some.map(\.span) == all.map(\.span))
                #expect(some.map(\.reasons) == all.enumerated().map { $0.offset < limit ? $0.element.reasons : [] })
            }
        }
        // Both answers are drawn often, and the extra policy's features reach the analysis.
        #expect(unreached > 1_000 && reached > 1_000, "\(unreached) unreached, \(reached) reached")
        #expect(routed > 100, "\(routed) steps with several route variants")
        #expect(windows > 500 && layers > 1_000)
    }
}
