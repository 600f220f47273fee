import EscalationCore
import EscalationPolicy

/// A layer's `at` anchor must be taken from a field of type `time`.
public struct AnchorNotTimeRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "anchor_not_time", code: "E029", severity: .error),
        name: "Anchor is not a time",
        summary: "'at: FIELD + 15m' moves on at an instant taken from the incident, so FIELD must be declared with 'type: time'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      session.start: { type: time, required: true }
                    layers:
                      - id: before-start
                        notify: [{ group: team }]
                        template: page
                        at: session.start - 10m
                      - id: late
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
                    fields:
                      session.start: { type: string, required: true }
                      session.length: { type: duration }
                    layers:
                      - id: before-start
                        notify: [{ group: team }]
                        template: page
                        at: ↓session.start - 10m
                      - id: overrun
                        notify: [{ contact: alice }]
                        template: page
                        at: ↓session.length
                      - id: late
                        notify: [{ contact: bob }]
                        template: page
                """),
        ])

    /// Reports each anchor on a declared field that is not of type `time`.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            let timeFields = policy.fields.filter { $0.type.value == .time }.map(\.name.value)
            let anchored = policy.layers.compactMap { layer in layer.at.map { ("layer '\(layer.id)'", "moves on", $0) } }
                + policy.deadlines.compactMap { deadline in deadline.at.map { ("deadline '\(deadline.id)'", "fires", $0) } }
            for (owner, verb, anchor) in anchored {
                guard let field = policy.field(anchor.value.field), field.type.value != .time else { continue }
                let others = timeFields.isEmpty ? "" : " (time fields of this policy: \(timeFields.joined(separator: ", ")))"
                result.append(
                    kind(
                        "\(owner) of policy '\(policy.id.value)' \(verb) at '\(anchor.value)', but field '\(field.name.value)' is declared as \(field.type.value.rawValue), not time",
                        at: anchor.location,
                        hint: "declare '\(field.name.value)' with 'type: time', or anchor on a time field\(others)"))
            }
        }
        return result
    }
}
