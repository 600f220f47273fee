import EscalationCore
import EscalationPolicy

/// Invalid value: reported by the loader while it reads the YAML.
public struct InvalidValueRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidValue,
        name: "Invalid value",
        summary: "A value must be one of the allowed choices (weekdays, field types, stage triggers, contact kinds) and within range.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  support-list:
                    name: Support list
                    kind: shared
                    addresses: { email: support@example.org }
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  support-list:
                    name: Support list
                    kind: ↓robot
                    addresses: { email: support@example.org }
                """),
        ])
}
