import EscalationCore
import EscalationPolicy

/// `when.outcome` may only test outcomes the policy declares, and only in `on.resolve` steps.
public struct UnknownOutcomeRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_outcome", code: "E032", severity: .error),
        name: "Unknown outcome",
        summary: "'when: {outcome: …}' tests the resolution's outcome: its values must be listed in the policy's 'outcomes', and it may only appear in an 'on: resolve' step.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    outcomes: [fixed, wont-fix]
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                    on:
                      resolve:
                        - when: { outcome: [fixed, wont-fix] }
                          notify: [{ group: team }]
                          template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    outcomes: [fixed, wont-fix]
                    layers:
                      - id: first
                        when: { outcome: ↓fixed }
                        notify: [{ contact: alice }]
                        template: page
                    on:
                      resolve:
                        - when: { outcome: [fixed, ↓wontfix] }
                          notify: [{ group: team }]
                          template: page
                """),
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                    on:
                      resolve:
                        - when: { outcome: ↓ran }
                          notify: [{ group: team }]
                          template: page
                """),
        ])

    /// Reports outcomes outside the policy's list and outcome tests outside `on.resolve`.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            let declared = policy.outcomes.map(\.value)
            let resolveLabels = Set(
                policy.hooks.resolve.indices.map { "step \($0 + 1) of 'on resolve' in policy '\(policy.id.value)'" })
            for (label, step) in labels.steps {
                guard let outcomes = step.when?.outcome, let first = outcomes.first else { continue }
                guard resolveLabels.contains(label.description) else {
                    result.append(
                        kind(
                            "\(label) tests the outcome ('\(first.value)'), but an incident has an outcome only when it resolves",
                            at: first.location,
                            hint: "move this step under 'on: resolve:', or remove 'outcome' from its 'when'"))
                    continue
                }
                for outcome in outcomes where !declared.contains(outcome.value) {
                    let message =
                        declared.isEmpty
                        ? "\(label) tests outcome '\(outcome.value)', but policy '\(policy.id.value)' declares no 'outcomes'"
                        : "\(label) tests outcome '\(outcome.value)', which is not one of the policy's outcomes (\(declared.joined(separator: ", ")))\(outcome.value.didYouMean(declared))"
                    result.append(
                        kind(
                            message, at: outcome.location,
                            hint: "list it under 'outcomes:' of policy '\(policy.id.value)', or fix the spelling"))
                }
            }
        }
        return result
    }
}
