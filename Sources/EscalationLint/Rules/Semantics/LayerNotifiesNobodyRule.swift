import EscalationCore
import EscalationPolicy

/// A layer should tell someone something: notify people, add tasks or post a message.
public struct LayerNotifiesNobodyRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "layer_notifies_nobody", code: "W005", severity: .warning),
        name: "Layer notifies nobody",
        summary: "A layer with no 'notify', no 'tasks' and no 'post' does nothing but wait; it is usually a layer whose targets were forgotten.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: status
                        post:
                          - { channel: room, template: page }
                      - id: checklist
                        tasks:
                          - title: Check the dashboard
                            assignee: { group: team }
                      - id: page-alice
                        notify: [{ contact: alice }]
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
                      - id: ↓wait
                        timeout: 10m
                      - id: page-alice
                        notify: [{ contact: alice }]
                        template: page
                """),
        ])

    /// Reports each layer without notify, tasks or posts; skipped when the loader reported errors, since a target may
    /// have been dropped.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        return context.organisation.policies.flatMap { policy in
            policy.layers.filter { layer in
                layer.alternatives.allSatisfy { $0.notify.isEmpty && $0.tasks.isEmpty && $0.posts.isEmpty }
            }.map { layer in
                kind(
                    "layer '\(layer.id)' of policy '\(policy.id.value)' notifies nobody: it has no 'notify', 'tasks' or 'post'",
                    at: layer.step.id?.location ?? layer.step.location,
                    hint: "add 'notify:' with the people to tell (and a 'template:'), or remove the layer and lengthen the previous layer's timeout")
            }
        }
    }
}
