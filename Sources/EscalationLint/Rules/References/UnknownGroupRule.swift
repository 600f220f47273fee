import EscalationCore
import EscalationPolicy

/// Every group a notify, cc or task assignee target names must be declared.
public struct UnknownGroupRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_group", code: "E021", severity: .error),
        name: "Unknown group",
        summary: "A group named in a notify, cc or task assignee target must be declared under 'groups'.",
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
                        tasks:
                          - title: Check the dashboard
                            assignee: { group: team }
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
                        notify: [{ group: ↓teem }]
                        cc: [{ contact: bob }, { group: ↓managers }]
                        template: page
                        tasks:
                          - title: Check the dashboard
                            assignee: { group: ↓ops }
                """),
        ])

    /// Reports each target that names an undeclared group.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        let known = organisation.groups.map(\.id.value)
        return context.labelledTargets
            .filter { $0.target.kind == .group && organisation.group($0.target.reference.value) == nil }
            .filter { !context.loaderReported(.group, $0.target.reference.value) }
            .map { label, target in
                let reference = target.reference
                return kind(
                    "\(label) names group '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                    at: reference.location,
                    hint: "declare it under 'groups:' with a name and members, or fix the id")
            }
    }
}
