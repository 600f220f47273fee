import EscalationCore
import EscalationGraph
import EscalationPolicy

/// The ladder must reach its last layer within the policy's declared `target_ack`.
public struct TargetAckExceededRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "target_ack_exceeded", code: "W105", severity: .warning),
        name: "Target acknowledgement time exceeded",
        summary: "The worst case time until the last layer is paged (the sum of the wall-clock timeouts before it) is longer than the policy's target_ack.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    target_ack: 15m
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 5m
                      - id: second
                        notify: [{ contact: bob }]
                        template: page
                        timeout: 5m
                      - id: third
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
                    target_ack: ↓15m
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 10m
                      - id: second
                        notify: [{ contact: bob }]
                        template: page
                        timeout: 10m
                      - id: third
                        notify: [{ group: team }]
                        template: page
                """)
        ])

    /// Reports policies whose wall-clock ladder is longer than their target (business and anchored timers are skipped).
    public func validate(_ context: LintContext) -> [Diagnostic] {
        context.organisation.policies.compactMap { policy in
            guard let target = policy.targetAck, !target.value.isBusiness, policy.layers.count > 1 else { return nil }
            var total = 0
            for layer in policy.layers.dropLast() {
                guard let timeout = layer.timeout?.value, !timeout.isBusiness, layer.at == nil else { return nil }
                total += timeout.seconds
            }
            guard total > target.value.seconds else { return nil }
            return kind(
                "policy '\(policy.id.value)' pages its last layer after \(PolicyDuration.compact(total) ?? "0s") in the worst case, longer than its target_ack of \(target.value)",
                at: target.location, hint: "shorten the timeouts or raise target_ack")
        }
    }
}
