import EscalationCore
import EscalationPolicy

/// Invalid duration: reported by the loader while it reads the YAML.
public struct InvalidDurationRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidDuration,
        name: "Invalid duration",
        summary: "Durations are written 30s, 15m, 1h30m, 1d, 1w or '1 business day'; a bare number or an unknown unit is an error, never a guess.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 15m
                      - id: second
                        notify: [{ contact: bob }]
                        template: page
                        timeout: 1 business day
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: ↓15
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
                        timeout: ↓15 minutes
                """),
        ])
}
