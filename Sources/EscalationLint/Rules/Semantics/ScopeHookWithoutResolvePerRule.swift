import EscalationCore
import EscalationPolicy

/// `on: scope_resolved` runs when one item of the `resolve_per` list resolves; a policy without `resolve_per` never runs it.
public struct ScopeHookWithoutResolvePerRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "scope_hook_without_resolve_per", code: "E047", severity: .error),
        name: "Scope hook without resolve_per",
        summary: "'on: scope_resolved' runs each time one item of the policy's 'resolve_per' list resolves while others stay open; without 'resolve_per' it never runs.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      locations: { type: list, required: true }
                    resolve_per: locations
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                    on:
                      scope_resolved:
                        - notify: [{ contact: alice }]
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
                        notify: [{ group: team }]
                        template: page
                    on:
                      ↓scope_resolved:
                        - notify: [{ contact: alice }]
                          template: page
                """)
        ])

    /// Reports each policy with `on: scope_resolved` steps and no `resolve_per`.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        context.organisation.policies.compactMap { policy in
            guard policy.resolvePer == nil, let first = policy.hooks.scopeResolved.first else { return nil }
            return kind(
                "policy '\(policy.id.value)' has 'on: scope_resolved' steps but no 'resolve_per', so they never run",
                at: policy.hooks.scopeResolvedLocation ?? first.location,
                hint: "add 'resolve_per: FIELD' (a list field whose items each resolve), or move the steps to 'on: resolve'")
        }
    }
}
