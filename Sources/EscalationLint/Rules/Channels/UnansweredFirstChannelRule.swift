import EscalationCore
import EscalationPolicy

/// `unanswered: D` waits on the item before it; the first item of a channel list has none.
public struct UnansweredFirstChannelRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unanswered_first_channel", code: "E046", severity: .error),
        name: "Unanswered on the first channel",
        summary: "'unanswered: D' makes a channel follow the one before it when that one fails or is not answered within D; on the "
            + "first channel of a 'via' or of 'preferences' there is nothing before it to wait on.",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  call: { plugin: exec, address: sms, settings: { command: place-call } }
                contacts:
                  cat:
                    name: Cat
                    addresses: { sms: "+1-555-0103", email: cat@example.org }
                    preferences: [call, { channel: email, unanswered: 5m }]
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        via: [{ channel: sms, unanswered: ↓2m }, email]
                        template: page
                """)
        ])

    /// Reports a first item with `unanswered`.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        func check(_ items: [ChannelStep], _ what: @autoclosure () -> String) {
            guard let first = items.first, let wait = first.unanswered else { return }
            result.append(
                kind(
                    "\(what()) starts with '\(first.channels.map(\.value).joined(separator: ", "))' waiting for an unanswered delivery, but nothing comes before it",
                    at: wait.location,
                    hint: "drop 'unanswered: \(wait.value)' (the first channel is used at once), or put the channel it should follow before it"))
        }
        for contact in organisation.contacts { check(contact.preferences, "the preferences of contact '\(contact.id.value)'") }
        for labels in context.policyLabels {
            for (label, step) in labels.steps { check(step.via, "the 'via' of \(label)") }
        }
        return result
    }
}
