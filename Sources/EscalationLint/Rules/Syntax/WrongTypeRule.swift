import EscalationCore
import EscalationPolicy

/// Wrong type: reported by the loader while it reads the YAML.
public struct WrongTypeRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.wrongType,
        name: "Wrong type",
        summary: "A value must have the type its key expects (text, a list, a map, a number, true/false).",
        nonTriggeringExamples: [
            RuleExample(
                """
                groups:
                  night:
                    name: Night
                    members: [alice]
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                groups:
                  night:
                    name: Night
                    members: ↓alice
                """),
            RuleExample(
                """
                contacts:
                  carol:
                    name: ↓[Carol]
                    addresses: { email: carol@example.org }
                """),
        ])
}
