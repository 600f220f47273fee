import EscalationCore
import EscalationPolicy

/// A policy whose incidents are all taken by an earlier policy of the same priority never runs.
public struct ShadowedPolicyRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "shadowed_policy", code: "W004", severity: .warning),
        name: "Shadowed policy",
        summary: "When several policies match, the highest priority wins, then file order. A policy whose 'match' is the same as (or narrower than) an earlier policy's with the same priority never takes an incident.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  billing:
                    name: Billing
                    match: { service: billing }
                    layers:
                      - id: billing-desk
                        notify: [{ group: team }]
                        template: page
                  billing-critical:
                    name: Billing, critical
                    match: { service: billing, severity: critical }
                    priority: 10
                    layers:
                      - id: billing-critical-page
                        notify: [{ contact: alice }]
                        template: page
                  network:
                    name: Network
                    match: { service: [network, dns] }
                    layers:
                      - id: network-desk
                        notify: [{ contact: bob }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  billing:
                    name: Billing
                    match: { service: [billing, payments] }
                    layers:
                      - id: billing-desk
                        notify: [{ group: team }]
                        template: page
                  ↓billing-copy:
                    name: Billing (copy)
                    match: { service: [payments, billing] }
                    layers:
                      - id: copy-desk
                        notify: [{ group: team }]
                        template: page
                  ↓billing-critical:
                    name: Billing, critical
                    match: { service: billing, severity: critical }
                    layers:
                      - id: billing-critical-page
                        notify: [{ contact: alice }]
                        template: page
                """),
        ])

    /// Reports each policy whose match is covered by an earlier policy's match at the same priority; skipped when the
    /// loader reported errors, since a match may have been read only in part.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        let policies = context.organisation.policies
        var result: [Diagnostic] = []
        for (index, policy) in policies.enumerated() {
            guard let earlier = policies[..<index].first(where: { $0.priority == policy.priority && covers($0, policy) }) else {
                continue
            }
            let how =
                Self.same(earlier.match, policy.match)
                ? "has the same match and the same priority (\(policy.priority)), and comes first"
                : "has a broader match and the same priority (\(policy.priority)), and comes first, so it takes every incident this one matches"
            result.append(
                kind(
                    "policy '\(policy.id.value)' never takes an incident: policy '\(earlier.id.value)' (at \(earlier.id.location)) \(how)",
                    at: policy.id.location,
                    hint: "give '\(policy.id.value)' a higher 'priority:' if it should win, make the two matches differ, or remove the copy"))
        }
        return result
    }

    /// Whether every incident `later` matches is also matched by `earlier`.
    private func covers(_ earlier: Policy, _ later: Policy) -> Bool {
        earlier.match.allSatisfy { condition in
            guard let own = later.match.first(where: { $0.field.value == condition.field.value }), !own.values.isEmpty else {
                return false
            }
            let accepted = Set(condition.values.map(\.value))
            return own.values.allSatisfy { accepted.contains($0.value) }
        }
    }

    /// Whether two matches have the same fields with the same value sets.
    static func same(_ lhs: [FieldMatch], _ rhs: [FieldMatch]) -> Bool {
        func normal(_ match: [FieldMatch]) -> [String: Set<String>] {
            Dictionary(match.map { ($0.field.value, Set($0.values.map(\.value))) }, uniquingKeysWith: { first, _ in first })
        }
        return normal(lhs) == normal(rhs)
    }
}
