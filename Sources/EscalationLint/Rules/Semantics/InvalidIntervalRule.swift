import EscalationCore
import EscalationPolicy

/// A schedule override's `to` must come after its `from`.
public struct InvalidIntervalRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "invalid_interval", code: "E035", severity: .error),
        name: "Invalid interval",
        summary: "A schedule override covers [from, to): 'to' must be after 'from', or the override never applies.",
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
                    overrides:
                      - contact: bob
                        from: 2026-12-24T09:00
                        to: 2026-12-26T09:00
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
                    overrides:
                      - contact: bob
                        from: 2026-12-26T09:00
                        to: ↓2026-12-24T09:00
                      - contact: alice
                        from: 2026-12-31T09:00
                        to: ↓2026-12-31T09:00
                      - contact: alice
                        from: 2027-01-02T09:00-06:00
                        to: ↓2027-01-02T14:00Z
                """),
        ])

    /// Reports each override whose end is not after its start.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for schedule in context.organisation.schedules {
            for (index, override) in schedule.overrides.enumerated() {
                guard let from = Self.minutes(override.from.value, comparableWith: override.to.value),
                    let to = Self.minutes(override.to.value, comparableWith: override.from.value), to <= from
                else { continue }
                result.append(
                    kind(
                        "override \(index + 1) of schedule '\(schedule.id.value)' (contact '\(override.contact.value)') ends at \(override.to.value), which is not after its start \(override.from.value)",
                        at: override.to.location,
                        hint: "'to' is exclusive and must be later than 'from'; swap them or fix the date"))
            }
        }
        return result
    }

    /// Minutes on a common scale, or nil when only one of the two instants has an explicit offset.
    static func minutes(_ instant: LocalDateTime, comparableWith other: LocalDateTime) -> Int? {
        guard (instant.utcOffsetSeconds == nil) == (other.utcOffsetSeconds == nil) else { return nil }
        let local = daysSinceEpoch(instant.date) * 1_440 + instant.time.minutes
        return local - (instant.utcOffsetSeconds ?? 0) / 60
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar.
    static func daysSinceEpoch(_ date: LocalDate) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let monthIndex = (date.month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
