import EscalationCore
import EscalationPolicy

/// `when: { seen: [NAME] }` waits for a signal received or a stage posted; a name that is no stage of the policy and
/// no signal it names anywhere (until, on signal, stages, deadlines, reset_on) is most likely a typo.
public struct SeenNeverHappensRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "seen_never_happens", code: "W011", severity: .warning),
        name: "Seen never happens",
        summary: "A 'seen' condition names something that is neither a stage of the policy nor a signal the policy names anywhere, so the condition may never hold.",
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
                    on:
                      resolve:
                        - when: { seen: [posted] }
                          post: [{ channel: room, template: page }]
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
                    on:
                      resolve:
                        - when: { seen: [↓psoted] }
                          post: [{ channel: room, template: page }]
                """)
        ])

    /// Reports each `seen` name that no stage or signal of the policy matches.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            var known = Set(policy.stages.map(\.id.value))
            known.formUnion(policy.until.map(\.value))
            known.formUnion(policy.hooks.signals.map(\.name.value))
            known.formUnion(policy.stages.compactMap(\.signal?.value))
            known.formUnion(policy.deadlines.compactMap(\.signal?.value))
            known.formUnion((policy.reminders.map { [$0] } ?? []).flatMap(\.resetOn).map(\.value))
            known.formUnion(policy.watchdogs.flatMap(\.resetOn).map(\.value))
            let conditions = labels.steps.compactMap { label, step in step.when.map { (label, $0) } }
            for (label, condition) in conditions {
                for name in condition.seen where !known.contains(name.value) {
                    result.append(
                        kind(
                            "the condition of \(label) waits for '\(name.value)', which is no stage of the policy and no signal it names\(name.value.didYouMean(known.sorted()))",
                            at: name.location,
                            hint: "name a stage id or a signal (one the policy uses in until, on signal, a stage, a deadline or reset_on)"))
                }
            }
        }
        return result
    }
}
