import EscalationCore
import EscalationPolicy

/// A business duration needs a calendar: the layer's, else the policy's, else the organisation's default.
public struct BusinessTimeWithoutCalendarRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "business_time_without_calendar", code: "E031", severity: .error),
        name: "Business time without a calendar",
        summary: "A business duration ('timeout', 'target_ack', 'reminders.every', 'repeat.after', a deadline's 'after') counts a calendar's open hours, "
            + "so a calendar must apply: the layer's 'calendar', else the policy's, else the organisation's 'default_calendar'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    target_ack: 4 business hours
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        template: page
                        timeout: 1 business day
                      - id: second
                        notify: [{ contact: alice }]
                        template: page
                """),
            RuleExample(
                """
                organisation:
                  id: acme
                  name: Acme
                  timezone: UTC
                  calendars:
                    office:
                      hours:
                        - days: [mon, tue, wed, thu, fri]
                          from: "09:00"
                          to: "17:00"
                contacts:
                  alice:
                    name: Alice
                    addresses: { email: alice@example.org }
                templates:
                  page:
                    body: "{{ incident.title }}"
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        calendar: office
                        timeout: 2 business hours
                      - id: second
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 4h
                """, standalone: true),
        ],
        triggeringExamples: [
            RuleExample(
                """
                organisation:
                  id: acme
                  name: Acme
                  timezone: UTC
                  calendars:
                    office:
                      hours:
                        - days: [mon, tue, wed, thu, fri]
                          from: "09:00"
                          to: "17:00"
                contacts:
                  alice:
                    name: Alice
                    addresses: { email: alice@example.org }
                templates:
                  page:
                    body: "{{ incident.title }}"
                policies:
                  p:
                    name: P
                    target_ack: ↓4 business hours
                    repeat: { times: 2, after: ↓1 business day }
                    layers:
                      - id: first
                        notify: [{ contact: alice }]
                        template: page
                        timeout: ↓1 business day
                      - id: second
                        notify: [{ contact: alice }]
                        template: page
                        calendar: office
                        timeout: 2 business hours
                    reminders:
                      every: ↓2 business hours
                      notify: [{ contact: alice }]
                      template: page
                    deadlines:
                      - id: first-reply
                        after: ↓1 business day
                        notify: [{ contact: alice }]
                        template: page
                """, standalone: true),
        ])

    /// Reports each business duration for which no calendar applies.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        // Without a loaded header the default calendar is unknown; the loader has reported why.
        guard let header = organisation.header else { return [] }
        let defaultCalendar = header.defaultCalendar
        let known = header.calendars.map(\.id.value)
        let hint =
            known.isEmpty
            ? "declare a calendar under 'organisation: calendars:' and name it with 'default_calendar:', or use wall time (e.g. 8h)"
            : "name a calendar (\(known.joined(separator: ", "))) with 'calendar:' on the layer or policy, or set 'default_calendar:' on the organisation"
        var result: [Diagnostic] = []
        for policy in organisation.policies {
            let policyCalendar = policy.calendar ?? defaultCalendar
            // (what, duration, the calendar that applies, who could name one)
            var durations: [(String, Located<PolicyDuration>, Located<String>?, String)] = []
            let name = "policy '\(policy.id.value)'"
            let policyScope = "neither the policy nor the organisation names one"
            if let value = policy.targetAck { durations.append(("'target_ack' of \(name)", value, policyCalendar, policyScope)) }
            if let value = policy.repeatRule?.after {
                durations.append(("'repeat after' of \(name)", value, policyCalendar, policyScope))
            }
            if let value = policy.reminders?.every {
                durations.append(("'reminders every' of \(name)", value, policyCalendar, policyScope))
            }
            for deadline in policy.deadlines {
                if let value = deadline.after {
                    durations.append(("'after' of deadline '\(deadline.id)' of \(name)", value, policyCalendar, policyScope))
                }
            }
            for layer in policy.layers {
                if let value = layer.timeout {
                    durations.append(
                        ("the timeout of layer '\(layer.id)' of \(name)", value, layer.calendar ?? policyCalendar,
                         "neither the layer, the policy nor the organisation names one"))
                }
            }
            for (label, duration, calendar, scope) in durations where duration.value.isBusiness && calendar == nil {
                result.append(
                    kind(
                        "\(label) is business time ('\(duration.value)'), but no calendar applies: \(scope)",
                        at: duration.location,
                        hint: hint))
            }
        }
        return result
    }
}
