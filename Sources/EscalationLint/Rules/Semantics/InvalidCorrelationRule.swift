import EscalationCore
import EscalationPolicy

/// `correlate` must name declared fields (`append` list fields, a `key` field), and `on: report` needs `correlate`.
public struct InvalidCorrelationRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "invalid_correlation", code: "E050", severity: .error),
        name: "Invalid correlation",
        summary: "'correlate: append' names list fields of the policy and 'correlate: key' a declared field; 'on: report' steps run only for a policy that correlates.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      product: { type: string, required: true }
                      tickets: { type: list }
                    correlate: { key: product, append: [tickets] }
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                    on:
                      report:
                        - tasks: [{ title: Link the ticket, assignee: { contact: alice }, per: tickets }]
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      product: { type: string, required: true }
                    correlate: { key: ↓prodcut, append: [↓product, ↓tickets] }
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                """),
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
                      ↓report:
                        - notify: [{ contact: alice }]
                          template: page
                """),
        ])

    /// Reports undeclared or non-list fields in `correlate`, and `on: report` without `correlate`.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for policy in context.organisation.policies {
            let known = policy.fields.map(\.name.value)
            guard let correlate = policy.correlate else {
                if let first = policy.hooks.report.first {
                    result.append(
                        kind(
                            "policy '\(policy.id.value)' has 'on: report' steps but no 'correlate', so later events are duplicates and the steps never run",
                            at: policy.hooks.reportLocation ?? first.location,
                            hint: "add 'correlate:' (e.g. 'correlate: { append: [customer_tickets] }'), or remove the steps"))
                }
                continue
            }
            if let key = correlate.key, policy.field(key.value) == nil, !context.loaderReported(.policyFields, policy.id.value) {
                result.append(
                    kind(
                        "the correlation key of policy '\(policy.id.value)' is field '\(key.value)', which the policy does not declare\(key.value.didYouMean(known))",
                        at: key.location, hint: "declare it under 'fields:' (events with the same value join the open incident)"))
            }
            for name in correlate.append {
                guard let field = policy.field(name.value) else {
                    if !context.loaderReported(.policyFields, policy.id.value) {
                        result.append(
                            kind(
                                "policy '\(policy.id.value)' appends reports to field '\(name.value)', which it does not declare\(name.value.didYouMean(known))",
                                at: name.location, hint: "declare it as 'type: list' under 'fields:'"))
                    }
                    continue
                }
                if field.type.value != .list && field.type.value != .addressList {
                    result.append(
                        kind(
                            "policy '\(policy.id.value)' appends reports to field '\(name.value)', a \(field.type.value.rawValue); only a list grows",
                            at: name.location, hint: "make '\(name.value)' a 'type: list' field, or remove it from 'append'"))
                }
            }
        }
        return result
    }
}
