import EscalationCore
import EscalationGraph
import EscalationPolicy

/// A layer whose `when` can never hold is a branch that is never taken: the layer never runs.
public struct UnreachableLayerRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unreachable_layer", code: "W102", severity: .warning),
        name: "Unreachable layer",
        summary: "A layer whose condition can never hold (during and outside the same calendar, during a calendar that is never open, or a field value the field cannot take) never runs.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: office
                        when: { during: office }
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 10m
                      - id: anytime
                        notify: [{ contact: bob }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: never
                        when: ↓{ during: office, outside: office }
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 10m
                      - id: anytime
                        notify: [{ contact: bob }]
                        template: page
                """),
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      urgency: { type: enum, values: [low, high] }
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 10m
                      - id: never
                        when: ↓{ fields: { urgency: [critical] } }
                        notify: [{ contact: bob }]
                        template: page
                """),
        ])

    /// Reports layers whose condition is contradictory or names values the fields cannot take.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            for layer in policy.layers {
                let alternatives = layer.alternatives
                for (number, step) in alternatives.enumerated() {
                    guard let when = step.when, let reason = impossibility(when, policy: policy, context: context) else { continue }
                    let what = alternatives.count > 1 ? "alternative \(number + 1) of layer '\(layer.id)'" : "layer '\(layer.id)'"
                    result.append(
                        kind(
                            "\(what) of policy '\(policy.id.value)' never runs: \(reason)", at: when.location,
                            hint: alternatives.count > 1 ? "fix the condition or remove the alternative" : "fix the condition or remove the layer"))
                }
            }
        }
        return result
    }

    func impossibility(_ condition: Condition, policy: Policy, context: LintContext) -> String? {
        if let during = condition.during?.value, let outside = condition.outside?.value, during == outside {
            return "it must be both during and outside calendar '\(during)'"
        }
        if let during = condition.during?.value, let calendar = context.graph.calendar(during), calendar.hours.isEmpty {
            return "calendar '\(during)' is never open"
        }
        for match in condition.fields {
            guard let field = policy.field(match.field.value) else { continue }
            let values = match.values.map(\.value)
            switch field.type.value {
            case .enum:
                let allowed = field.values.map(\.value)
                if values.allSatisfy({ !allowed.contains($0) }) {
                    return "field '\(field.name.value)' can only be \(allowed.joined(separator: ", ")), not \(values.joined(separator: " or "))"
                }
            case .boolean where values.allSatisfy({ $0 != "true" && $0 != "false" }):
                return "field '\(field.name.value)' is true or false, not \(values.joined(separator: " or "))"
            default: break
            }
        }
        return nil
    }
}
