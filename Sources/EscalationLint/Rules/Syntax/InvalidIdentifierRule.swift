import EscalationCore
import EscalationPolicy

/// Invalid identifier: reported by the loader while it reads the YAML.
public struct InvalidIdentifierRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidIdentifier,
        name: "Invalid identifier",
        summary: "Ids are lower-case letters, digits, '-' and '_' starting with a letter; field names are such words joined by dots.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol-smith:
                    name: Carol Smith
                    addresses: { email: carol@example.org }
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  ↓Carol Smith:
                    name: Carol Smith
                    addresses: { email: carol@example.org }
                """),
        ])
}
