import EscalationCore
import EscalationPolicy

/// Every schedule a notify, cc or task assignee target names must be declared.
public struct UnknownScheduleRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_schedule", code: "E022", severity: .error),
        name: "Unknown schedule",
        summary: "A schedule named in a target (whoever is on call) must be declared under 'schedules'.",
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
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ schedule: on-call }]
                        template: page
                """)
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
                      start: 2026-01-05T09:00
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ schedule: ↓on-cal }]
                        template: page
                        tasks:
                          - title: Restart the service
                            assignee: { schedule: ↓night-shift }
                """),
        ])

    /// Reports each target that names an undeclared schedule.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        let known = organisation.schedules.map(\.id.value)
        return context.labelledTargets
            .filter { $0.target.kind == .schedule && organisation.schedule($0.target.reference.value) == nil }
            .filter { !context.loaderReported(.schedule, $0.target.reference.value) }
            .map { label, target in
                let reference = target.reference
                return kind(
                    "\(label) names schedule '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                    at: reference.location,
                    hint: "declare it under 'schedules:' with a rotation, or fix the id")
            }
    }
}
