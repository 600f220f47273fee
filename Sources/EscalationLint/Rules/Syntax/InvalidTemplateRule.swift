import EscalationCore
import EscalationPolicy

/// Invalid template placeholder: reported by the loader while it reads the YAML.
public struct InvalidTemplateRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidTemplate,
        name: "Invalid template placeholder",
        summary: "Template placeholders are {{ name }} with a dotted lower-case name and closing braces.",
        nonTriggeringExamples: [
            RuleExample(
                """
                templates:
                  hello:
                    body: "Hello {{ recipient.name }}"
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                templates:
                  broken:
                    body: "Hello ↓{{ recipient.name"
                """),
            RuleExample(
                """
                templates:
                  broken:
                    subject: "↓{{ Incident Title }}"
                    body: "x"
                """),
        ])
}
