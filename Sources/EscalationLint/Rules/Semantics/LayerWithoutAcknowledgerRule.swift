import EscalationCore
import EscalationPolicy

/// A layer that waits for an acknowledgement should notify someone who can give one.
public struct LayerWithoutAcknowledgerRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "layer_without_acknowledger", code: "W001", severity: .warning),
        name: "Layer without an acknowledger",
        summary: "A layer with a 'timeout' waits for an acknowledgement, but shared contacts (lists, rooms, queues) cannot acknowledge: if it notifies only shared contacts, the wait always runs out.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  ops-list:
                    name: Ops mailing list
                    kind: shared
                    addresses: { email: ops@example.org }
                policies:
                  p:
                    name: P
                    layers:
                      - id: announce
                        notify: [{ contact: ops-list }]
                        via: [email]
                        template: page
                      - id: page-team
                        notify: [{ contact: ops-list }, { group: team }]
                        via: [email]
                        template: page
                        timeout: 10m
                      - id: page-alice
                        notify: [{ contact: alice }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  ops-list:
                    name: Ops mailing list
                    kind: shared
                    addresses: { email: ops@example.org }
                policies:
                  p:
                    name: P
                    layers:
                      - id: ↓announce
                        notify: [{ contact: ops-list }]
                        via: [email]
                        template: page
                        timeout: 10m
                      - id: page-team
                        notify: [{ group: team }]
                        template: page
                """),
        ])

    /// Reports each layer with a timeout whose notify targets are all shared contacts.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        for policy in organisation.policies {
            for layer in policy.layers {
                // A layer that chooses is reported only when every alternative reaches no one who can acknowledge.
                let alternatives = layer.alternatives
                guard let step = alternatives.first,
                    alternatives.allSatisfy({ alternative in
                        !alternative.notify.isEmpty
                            && alternative.notify.allSatisfy({
                                $0.kind == .address || ($0.kind == .contact && organisation.contact($0.reference.value)?.kind == .shared)
                            })
                    })
                else { continue }
                guard let timeout = layer.timeout, !step.notify.isEmpty,
                    step.notify.allSatisfy({
                        $0.kind == .address || ($0.kind == .contact && organisation.contact($0.reference.value)?.kind == .shared)
                    })
                else { continue }
                let names = step.notify.map { "'\($0.reference.value)'" }.joined(separator: ", ")
                result.append(
                    kind(
                        "layer '\(layer.id)' of policy '\(policy.id.value)' waits \(timeout.value) for an acknowledgement, but it notifies only shared contacts or addresses from the incident (\(names)), which cannot acknowledge",
                        at: step.id?.location ?? step.location,
                        hint: "add a person, group or schedule to its 'notify', or remove the timeout if the layer only announces"))
            }
        }
        return result
    }
}
