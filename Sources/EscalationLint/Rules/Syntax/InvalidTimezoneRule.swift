import EscalationCore
import EscalationPolicy

/// Invalid timezone: reported by the loader while it reads the YAML.
public struct InvalidTimezoneRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidTimezone,
        name: "Invalid timezone",
        summary: "Timezones must be IANA names such as America/Chicago; an unknown name is reported with the closest known one.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org }
                    timezone: Europe/London
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org }
                    timezone: ↓Europe/Lundon
                """),
        ])
}
