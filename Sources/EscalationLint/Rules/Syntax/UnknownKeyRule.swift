import EscalationCore
import EscalationPolicy

/// Unknown key: reported by the loader while it reads the YAML.
public struct UnknownKeyRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.unknownKey,
        name: "Unknown key",
        summary: "Every key must be one the language defines; a typo is reported with the closest known key instead of being ignored.",
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
                    ↓prefrences: []
                """),
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        ↓timout: 5m
                """),
        ])
}
