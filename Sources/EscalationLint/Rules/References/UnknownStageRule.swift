import EscalationCore
import EscalationPolicy

/// A stage's `if_posted` names another stage of the same policy.
public struct UnknownStageRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_stage", code: "E040", severity: .error),
        name: "Unknown stage",
        summary: "'if_posted' makes a stage's message depend on an earlier stage's: it must name another stage of the same policy.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                    stages:
                      - { id: posted, on: signal, signal: confirmed, channel: room, template: page }
                      - { id: resolved, on: resolve, channel: room, template: page, if_posted: posted }
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                    stages:
                      - { id: posted, on: signal, signal: confirmed, channel: room, template: page }
                      - { id: resolved, on: resolve, channel: room, template: page, if_posted: ↓postd }
                      - { id: again, on: resolve, channel: room, template: page, if_posted: ↓again }
                """)
        ])

    /// Reports `if_posted` references to no other stage of the policy.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            for stage in policy.stages {
                guard let earlier = stage.ifPosted else { continue }
                let others = policy.stages.map(\.id.value).filter { $0 != stage.id.value }
                guard !others.contains(earlier.value) else { continue }
                let why = earlier.value == stage.id.value ? "itself" : "no stage of policy '\(policy.id.value)'\(earlier.value.didYouMean(others))"
                result.append(
                    kind(
                        "stage '\(stage.id.value)' of policy '\(policy.id.value)' is posted only if '\(earlier.value)' was, but that is \(why)",
                        at: earlier.location,
                        hint: others.isEmpty ? "declare the stage it depends on, or remove 'if_posted'" : "name one of: \(others.joined(separator: ", "))"))
            }
        }
        return result
    }
}
