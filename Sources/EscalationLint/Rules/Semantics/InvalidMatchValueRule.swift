import EscalationCore
import EscalationPolicy

/// A value compared with a declared enum field must be one of its values; with a boolean field, true or false.
public struct InvalidMatchValueRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "invalid_match_value", code: "E033", severity: .error),
        name: "Invalid match value",
        summary: "A value in 'match', 'threshold.unless' or 'when: fields' for a declared enum field must be one of its 'values'; for a boolean field it must be true or false. Such a comparison could never hold.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    match: { severity: [high, critical], service: billing }
                    threshold: { count: 3, within: 10m, unless: { severity: critical } }
                    fields:
                      severity: { type: enum, values: [low, high, critical], required: true }
                      customer_facing: { type: boolean }
                    layers:
                      - id: first
                        when: { fields: { customer_facing: true } }
                        notify: [{ group: team }]
                        template: page
                      - id: second
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
                    match: { severity: [high, ↓critcal] }
                    threshold: { count: 3, within: 10m, unless: { severity: ↓urgent } }
                    fields:
                      severity: { type: enum, values: [low, high, critical], required: true }
                      customer_facing: { type: boolean }
                    layers:
                      - id: first
                        when: { fields: { customer_facing: ↓yes } }
                        notify: [{ group: team }]
                        template: page
                """),
        ])

    /// Reports each compared value that the declared field can never hold.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for labels in context.policyLabels {
            let policy = labels.policy
            let name = "policy '\(policy.id.value)'"
            var groups: [(String, [FieldMatch])] = [("the match of \(name)", policy.match)]
            if let threshold = policy.threshold { groups.append(("the threshold 'unless' of \(name)", threshold.unless)) }
            for (label, step) in labels.steps {
                if let fields = step.when?.fields { groups.append(("the condition of \(label)", fields)) }
            }
            for (label, matches) in groups {
                for match in matches {
                    guard let field = policy.field(match.field.value) else { continue }
                    result += check(match, against: field, label: label)
                }
            }
        }
        return result
    }

    /// The diagnostics for the values of one comparison that the field can never hold.
    private func check(_ match: FieldMatch, against field: FieldDeclaration, label: String) -> [Diagnostic] {
        let fieldName = field.name.value
        switch field.type.value {
        case .enum:
            let allowed = field.values.map(\.value)
            return match.values.filter { !allowed.contains($0.value) }.map { value in
                kind(
                    "\(label) compares enum field '\(fieldName)' with '\(value.value)', which is not one of its values (\(allowed.joined(separator: ", ")))\(value.value.didYouMean(allowed))",
                    at: value.location,
                    hint: "use one of \(allowed.joined(separator: ", ")), or add '\(value.value)' to the 'values' of field '\(fieldName)'")
            }
        case .boolean:
            return match.values.filter { !["true", "false"].contains($0.value.lowercased()) }.map { value in
                kind(
                    "\(label) compares boolean field '\(fieldName)' with '\(value.value)', which is neither true nor false",
                    at: value.location,
                    hint: "write true or false")
            }
        default:
            return []
        }
    }
}
