import EscalationCore
import EscalationPolicy

/// Every template a step, post, stage or action names must be declared.
public struct UnknownTemplateRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_template", code: "E024", severity: .error),
        name: "Unknown template",
        summary: "A template named by a layer, reminder, hook step, post, stage or action must be declared under 'templates'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                    reminders:
                      every: 30m
                      notify: [{ group: team }]
                      template: page
                    on:
                      resolve:
                        - post:
                            - { channel: room, template: page }
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
                        notify: [{ contact: alice }]
                        template: ↓pgae
                        post:
                          - { channel: room, template: ↓status-update }
                    stages:
                      - id: open
                        on: trigger
                        channel: room
                        template: ↓investigating
                    on:
                      acknowledge:
                        - notify: [{ group: team }]
                          template: ↓acked
                """),
        ])

    /// Reports each reference to an undeclared template.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        let known = organisation.templates.map(\.id.value)
        var references: [(LintLabel, Located<String>)] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            for (label, step) in labels.steps {
                if let template = step.template { references.append((label, template)) }
                references += step.posts.map { (.phrase("a post of ", label), $0.template) }
            }
            references += policy.stages.map { (.stage(id: $0.id.value, policy: policy.id.value), $0.template) }
            references += policy.actions.map { (.text("action '\($0.id.value)' of policy '\(policy.id.value)'"), $0.template) }
        }
        let unknown = references.filter {
            organisation.template($0.1.value) == nil && !context.loaderReported(.template, $0.1.value)
        }
        return unknown.map { label, reference in
            kind(
                "\(label) uses template '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                at: reference.location,
                hint: "declare it under 'templates:' with a body, or fix the id")
        }
    }
}
