import EscalationCore
import EscalationGraph
import Testing

/// The engine's fast `holds` and the explaining `evaluate` must agree on every condition the seeds use.
@Suite("Condition evaluator")
struct ConditionEvaluatorTests {
    static func conditions(_ graph: RuleGraph) -> [CompiledCondition] {
        var found: [CompiledCondition] = []
        for policy in graph.policies {
            for node in policy.nodes {
                if let condition = node.condition ?? node.step?.condition { found.append(condition) }
            }
            var hooks: [CompiledStep] = policy.hooks.acknowledge + policy.hooks.resolve
            for steps in policy.hooks.signals.values { hooks += steps }
            found += hooks.compactMap(\.condition)
        }
        return found
    }

    /// Incidents to try a condition on: each field set to an accepted value, to another value, or missing.
    static func fieldSets(_ condition: CompiledCondition) -> [[String: String]] {
        var sets: [[String: String]] = [[:]]
        for (name, accepted) in condition.fields.sorted(by: { $0.key < $1.key }) {
            sets = sets.flatMap { base in
                [base.merging([name: accepted.first ?? ""]) { $1 }, base.merging([name: "something-else"]) { $1 }, base]
            }
        }
        return sets
    }

    @Test("holds(...) equals evaluate(...).verdict == .holds for every seed condition, field set, outcome and hour of a week",
        arguments: SeedPolicies.organisations)
    func agreesWithEvaluate(organisation: String) throws {
        let graph = try SeedPolicies.graph(organisation)
        let evaluator = ConditionEvaluator(graph: graph, looksAhead: false)
        let start = try #require(Instant.parse("2026-11-23T00:00Z", zone: ZonedTime.utc))
        var compared = 0
        for condition in Self.conditions(graph) {
            for fields in Self.fieldSets(condition) {
                var outcomes: [String?] = [nil, "other"]
                if let first = condition.outcome.first { outcomes.append(first) }
                for outcome in outcomes {
                    for hour in stride(from: 0, to: 24 * 7, by: 5) {
                        let instant = start.adding(seconds: hour * 3_600)
                        let fast = evaluator.holds(condition, at: instant, fields: fields, outcome: outcome)
                        let explained = evaluator.evaluate(condition, at: instant, fields: fields, outcome: outcome).verdict == .holds
                        #expect(fast == explained, "\(condition) at \(instant) with \(fields), outcome \(outcome ?? "none")")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 0 || Self.conditions(graph).isEmpty)
    }
}
