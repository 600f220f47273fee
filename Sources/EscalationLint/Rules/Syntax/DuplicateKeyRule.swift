import EscalationCore
import EscalationPolicy

/// Duplicate key: reported by the loader while it reads the YAML.
public struct DuplicateKeyRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.duplicateKey,
        name: "Duplicate key",
        summary: "A key may appear once per mapping; YAML would keep only one of the values. The diagnostic points at the second occurrence.",
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
                    addresses: { email: carol@example.org }
                    ↓name: Caroline
                """),
        ])
}
