import EscalationCore
import EscalationPolicy

/// Duplicate id: reported by the loader while it reads the YAML.
public struct DuplicateIDRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.duplicateID,
        name: "Duplicate id",
        summary: "An id is declared once per organisation, across all of its files; the second declaration is reported with the first one's location.",
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
                  ↓alice:
                    name: Alice again
                    addresses: { email: alice2@example.org }
                """),
        ])
}
