import EscalationCore
import EscalationPolicy

/// Every calendar named by the organisation, a rotation, a condition, a policy or a layer must be declared.
public struct UnknownCalendarRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_calendar", code: "E025", severity: .error),
        name: "Unknown calendar",
        summary: "A calendar named by 'default_calendar', a rotation's 'during', a 'when' condition, a policy or a layer must be declared under 'organisation.calendars'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                schedules:
                  day-desk:
                    name: Day desk
                    rotation:
                      members: [alice, bob]
                      shift: 1d
                      start: 2026-01-05T09:00
                      during: office
                policies:
                  p:
                    name: P
                    calendar: office
                    layers:
                      - id: first
                        when: { during: office }
                        notify: [{ schedule: day-desk }]
                        template: page
                        calendar: office
                        timeout: 2 business hours
                      - id: after-hours
                        when: { outside: office }
                        notify: [{ group: team }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                schedules:
                  day-desk:
                    name: Day desk
                    rotation:
                      members: [alice, bob]
                      shift: 1d
                      start: 2026-01-05T09:00
                      during: ↓office-hours
                policies:
                  p:
                    name: P
                    calendar: ↓ofice
                    layers:
                      - id: first
                        when: { during: ↓support-hours, outside: ↓holidays }
                        notify: [{ schedule: day-desk }]
                        template: page
                        calendar: ↓weekdays
                """),
            RuleExample(
                """
                organisation:
                  id: acme
                  name: Acme
                  timezone: UTC
                  default_calendar: ↓office
                """, standalone: true),
        ])

    /// Reports each reference to an undeclared calendar.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        // Without a loaded header the calendars are unknown; the loader has reported why.
        guard let header = organisation.header else { return [] }
        let known = header.calendars.map(\.id.value)
        var references: [(String, Located<String>)] = []
        if let calendar = header.defaultCalendar { references.append(("the organisation's default_calendar", calendar)) }
        for schedule in organisation.schedules {
            if let during = schedule.rotation?.during { references.append(("the rotation of schedule '\(schedule.id.value)'", during)) }
        }
        for labels in context.policyLabels {
            let policy = labels.policy
            if let calendar = policy.calendar { references.append(("policy '\(policy.id.value)'", calendar)) }
            for (label, step) in labels.steps {
                if let during = step.when?.during { references.append(("the 'when: during' of \(label)", during)) }
                if let outside = step.when?.outside { references.append(("the 'when: outside' of \(label)", outside)) }
            }
            for layer in policy.layers {
                if let calendar = layer.calendar {
                    references.append(("layer '\(layer.id)' of policy '\(policy.id.value)'", calendar))
                }
            }
        }
        let unknown = references.filter {
            organisation.calendar($0.1.value) == nil && !context.loaderReported(.calendar, $0.1.value)
        }
        return unknown.map { label, reference in
            kind(
                "\(label) names calendar '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                at: reference.location,
                hint: "declare it under 'organisation: calendars:' with its open hours, or fix the id")
        }
    }
}
