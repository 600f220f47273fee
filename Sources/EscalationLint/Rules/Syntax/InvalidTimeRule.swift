import EscalationCore
import EscalationPolicy

/// Invalid time or date: reported by the loader while it reads the YAML.
public struct InvalidTimeRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidTime,
        name: "Invalid time or date",
        summary: "Times of day are quoted \"HH:MM\", dates YYYY-MM-DD and instants YYYY-MM-DDTHH:MM; impossible values (month 13, 25:00) are errors.",
        nonTriggeringExamples: [
            RuleExample(
                """
                schedules:
                  on-call:
                    name: On call
                    rotation:
                      members: [alice, bob]
                      shift: 1w
                      start: 2026-01-05T09:00
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                schedules:
                  on-call:
                    name: On call
                    rotation:
                      members: [alice, bob]
                      shift: 1w
                      start: ↓2026-13-05T09:00
                """),
        ])
}
