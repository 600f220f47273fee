import EscalationCore
import EscalationPolicy

/// YAML syntax: reported by the loader while it reads the YAML.
public struct YAMLSyntaxRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.yamlSyntax,
        name: "YAML syntax",
        summary: "The file must be valid YAML; the message gives libyaml's reason and the position it stopped at.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org }
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org
                """),
            RuleExample(
                """
                contacts:
                  carol:
                  name: "Carol
                """),
        ])
}
