import EscalationCore
import EscalationPolicy

/// A template that no policy sends is probably a leftover or a misspelt reference.
public struct UnusedTemplateRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unused_template", code: "W003", severity: .warning),
        name: "Unused template",
        summary: "Every template should be sent by some policy (a layer, reminder, hook step, post, stage or action); an unused one is dead text, or a sign that a reference is misspelt.",
        nonTriggeringExamples: [
            RuleExample(
                """
                templates:
                  resolved:
                    body: "Resolved: {{ incident.title }}"
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                    stages:
                      - id: done
                        on: resolve
                        channel: room
                        template: resolved
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                templates:
                  ↓old-notice:
                    body: "Retired: {{ incident.title }}"
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                """),
        ])

    /// Reports each template no policy uses; skipped when the loader reported errors, since a policy may be missing.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        let organisation = context.organisation
        let used = Set(context.policyLabels.flatMap(UndefinedTemplateVariableRule.templateIDs(of:)))
        return organisation.templates.filter { !used.contains($0.id.value) }.map { template in
            kind(
                "template '\(template.id.value)' is not used by any policy",
                at: template.id.location,
                hint: "send it from a layer, reminder, hook step, post, stage or action, or remove it")
        }
    }
}
