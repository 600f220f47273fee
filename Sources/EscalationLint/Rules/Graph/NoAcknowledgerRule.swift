import EscalationCore
import EscalationGraph
import EscalationPolicy

/// A ladder that never reaches a person can never be acknowledged.
public struct NoAcknowledgerRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "no_acknowledger", code: "W104", severity: .warning),
        name: "Nobody can acknowledge",
        summary: "A policy whose layers reach no person (only shared addresses and posts; task assignees count as reached) runs to its end every time: nobody can acknowledge it.",
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
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  ops-list:
                    name: Ops list
                    kind: shared
                    addresses: { email: ops@example.org }
                policies:
                  ↓p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: ops-list }]
                        via: [email]
                        template: page
                """)
        ])

    /// Reports policies none of whose layers reaches a person.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        let organisation = context.organisation
        return organisation.policies.compactMap { policy in
            func person(_ target: Target) -> Bool {
                switch target.kind {
                case .contact: return organisation.contact(target.reference.value)?.kind != .shared
                case .group:
                    return organisation.group(target.reference.value)?.members.contains { organisation.contact($0.value)?.kind != .shared } ?? false
                case .schedule, .field: return true
                // People outside the organisation, reached at an address the incident carries, cannot acknowledge.
                case .address: return false
                // A route reaches a person when one of its rows does.
                case .route: return organisation.route(target.reference.value)?.labelledTargets.contains { person($0.target) } ?? false
                }
            }
            let reachesPerson = policy.layers.contains { layer in
                layer.alternatives.contains { step in (step.notify + step.tasks.compactMap(\.assignee)).contains(where: person) }
            }
            guard !reachesPerson, !policy.layers.isEmpty else { return nil }
            return kind(
                "policy '\(policy.id.value)' never reaches a person who can acknowledge it", at: policy.id.location,
                hint: "add a layer that notifies a person, a group or an on-call schedule")
        }
    }
}
