import EscalationCore
import EscalationPolicy

/// Layers, stages, actions and hook steps of one policy have distinct ids, since timelines and tests name them by id.
public struct DuplicateStepIDRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "duplicate_step_id", code: "E034", severity: .error),
        name: "Duplicate step id",
        summary: "Within one policy, every layer, stage, action and hook step id is unique: timelines and policy tests name steps by id.",
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
                        timeout: 5m
                      - id: second
                        notify: [{ contact: bob }]
                        template: page
                    stages:
                      - id: investigating
                        on: trigger
                        channel: room
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
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 5m
                      - id: ↓first
                        notify: [{ contact: bob }]
                        template: page
                    stages:
                      - id: ↓first
                        on: trigger
                        channel: room
                        template: page
                """),
        ])

    /// Reports the second and later uses of an id within a policy, pointing at the first.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            var ids: [(String, Located<String>)] = policy.layers.compactMap { layer in layer.step.id.map { ("layer", $0) } }
            ids += policy.stages.map { ("stage", $0.id) }
            ids += policy.actions.map { ("action", $0.id) }
            ids += policy.watchdogs.compactMap { watchdog in watchdog.id.map { ("watchdog", $0) } }
            ids += policy.hooks.allSteps.compactMap { step in step.id.map { ("hook step", $0) } }
            var first: [String: (String, SourceLocation)] = [:]
            for (what, id) in ids {
                guard let (firstWhat, firstLocation) = first[id.value] else {
                    first[id.value] = (what, id.location)
                    continue
                }
                result.append(
                    kind(
                        "\(what) id '\(id.value)' is used twice in policy '\(policy.id.value)'; the \(firstWhat) at \(firstLocation) already has it",
                        at: id.location,
                        hint: "give each layer, stage, action and hook step of a policy its own id"))
            }
        }
        return result
    }
}
