import EscalationCore
import EscalationPolicy

/// A calendar with an empty `hours` list is never open.
public struct CalendarWithoutHoursRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "calendar_without_hours", code: "W006", severity: .warning),
        name: "Calendar without hours",
        summary: "A calendar whose 'hours' list is empty is never open: 'during' never holds, 'outside' always does, and a business duration counted on it never ends.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: office-hours
                        when: { during: office }
                        notify: [{ group: team }]
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                organisation:
                  id: acme
                  name: Acme
                  timezone: UTC
                  calendars:
                    ↓weekend-support:
                      hours: []
                """, standalone: true),
        ])

    /// Reports each calendar with no open hours; skipped when the loader reported errors, since an hours entry may
    /// have been dropped.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        let calendars = context.organisation.header?.calendars ?? []
        return calendars.filter(\.hours.isEmpty).map { calendar in
            kind(
                "calendar '\(calendar.id.value)' has no open hours, so it is never open",
                at: calendar.id.location,
                hint: "add an 'hours' entry, e.g. '- { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }'")
        }
    }
}
