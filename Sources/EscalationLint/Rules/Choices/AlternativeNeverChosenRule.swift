import EscalationCore
import EscalationPolicy

/// An alternative of a `choose` whose condition implies an earlier alternative's (every part of the earlier one is
/// also in it, no looser) is never chosen: whenever it holds, the earlier one holds too and runs instead.
public struct AlternativeNeverChosenRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "alternative_never_chosen", code: "W009", severity: .warning),
        name: "Alternative never chosen",
        summary: "In 'choose', the first alternative whose 'when' holds runs; a later alternative whose condition can only hold when an earlier one's does (or that follows one without 'when') never runs.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu] }
                    layers:
                      - id: first
                        timeout: 10m
                        choose:
                          - when: { during: office, fields: { region: us } }
                            notify: [{ contact: alice }]
                            template: page
                          - when: { during: office }
                            notify: [{ contact: bob }]
                            template: page
                          - notify: [{ group: team }]
                            template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      region: { type: enum, values: [us, eu] }
                    layers:
                      - id: first
                        timeout: 10m
                        choose:
                          - when: { during: office }
                            notify: [{ contact: alice }]
                            template: page
                          - when: ↓{ during: office, fields: { region: us } }
                            notify: [{ contact: bob }]
                            template: page
                          - notify: [{ group: team }]
                            template: page
                """)
        ])

    /// Reports each alternative whose condition implies an earlier alternative's.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            for layer in policy.layers where layer.choices.count > 1 {
                for (index, choice) in layer.choices.enumerated() {
                    guard let when = choice.when else { continue }
                    guard let earlier = layer.choices[..<index].firstIndex(where: { implies(when, $0.when) }) else { continue }
                    result.append(
                        kind(
                            "alternative \(index + 1) of layer '\(layer.id)' in policy '\(policy.id.value)' is never chosen: whenever its condition holds, alternative \(earlier + 1)'s holds too and runs first",
                            at: when.location,
                            hint: "put the narrower alternative first, or fix the conditions"))
                }
            }
        }
        return result
    }

    /// Whether `later` holding means `earlier` holds (an earlier alternative without `when` always holds).
    private func implies(_ later: Condition, _ earlier: Condition?) -> Bool {
        guard let earlier else { return true }
        if let during = earlier.during?.value, later.during?.value != during { return false }
        if let outside = earlier.outside?.value, later.outside?.value != outside { return false }
        for match in earlier.fields {
            guard let narrower = later.fields.first(where: { $0.field.value == match.field.value }) else { return false }
            let allowed = Set(match.values.map(\.value))
            if !narrower.values.allSatisfy({ allowed.contains($0.value) }) { return false }
        }
        if !earlier.outcome.isEmpty {
            let allowed = Set(earlier.outcome.map(\.value))
            if later.outcome.isEmpty || !later.outcome.allSatisfy({ allowed.contains($0.value) }) { return false }
        }
        return true
    }
}
