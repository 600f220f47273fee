import EscalationCore
import EscalationGraph
import EscalationPolicy

/// A timeout of zero moves on at once: the layers after it are paged together with it.
public struct ZeroTimeoutRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "zero_timeout", code: "W103", severity: .warning),
        name: "Zero timeout",
        summary: "A layer with 'timeout: 0s' followed by more layers gives nobody time to acknowledge; the next layer is paged at the same instant.",
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
                        timeout: ↓0s
                      - id: second
                        notify: [{ contact: bob }]
                        template: page
                """)
        ])

    /// Reports zero timeouts that have a layer after them.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        context.organisation.policies.flatMap { policy in
            policy.layers.dropLast().compactMap { layer -> Diagnostic? in
                guard let timeout = layer.timeout, timeout.value.seconds == 0, timeout.value.businessDays == 0 else { return nil }
                return kind(
                    "layer '\(layer.id)' of policy '\(policy.id.value)' has a zero timeout, so the next layer is paged at the same instant",
                    at: timeout.location, hint: "give people time to acknowledge (e.g. 'timeout: 5m'), or merge the two layers")
            }
        }
    }
}
