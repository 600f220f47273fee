import EscalationCore
import EscalationPolicy

/// Invalid layer anchor: reported by the loader while it reads the YAML.
public struct InvalidAnchorRule: LoaderRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: LoadProblem.invalidAnchor,
        name: "Invalid anchor",
        summary: "A layer's 'at' is a time field, optionally plus or minus a wall-time offset: 'session.start', 'session.start + 15m', 'session.start-5m'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      session.start: { type: time, required: true }
                    layers:
                      - id: before-start
                        notify: [{ contact: alice }]
                        template: page
                        at: session.start - 10m
                      - id: after-start
                        notify: [{ contact: bob }]
                        template: page
                        at: session.start+15m
                      - id: late
                        notify: [{ group: team }]
                        template: page
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    fields:
                      session.start: { type: time, required: true }
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        at: ↓session.start + 1 business day
                      - id: second
                        notify: [{ contact: bob }]
                        template: page
                        at: ↓session.start 15m
                      - id: late
                        notify: [{ group: team }]
                        template: page
                """),
        ])
}
