import EscalationCore
import EscalationPolicy

/// Missing required key: reported by the loader while it reads the YAML.
public struct MissingKeyRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.missingKey,
        name: "Missing required key",
        summary: "Keys the language requires (a contact's name and addresses, a layer's id, a policy's layers, …) must be present and have a value.",
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
                  ↓carol:
                    name: Carol
                """),
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - ↓notify: [{ contact: alice }]
                        template: page
                """),
        ])
}
