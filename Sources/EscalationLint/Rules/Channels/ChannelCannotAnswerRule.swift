import EscalationChannel
import EscalationCore
import EscalationPolicy

/// `unanswered: D` follows a delivery that was not answered: a channel before it must be able to report answers.
public struct ChannelCannotAnswerRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "channel_cannot_answer", code: "E045", severity: .error),
        name: "Channel cannot answer",
        summary: "A channel with 'unanswered: D' is used when the item before it fails or is not answered within D. If no channel of that "
            + "item has a plugin that reports answers (the 'answers' capability: voice, exec), nobody can ever be seen to answer, so it would "
            + "always follow D later: write 'after:' if that is meant, or put a channel that reports answers before it.",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  call: { plugin: exec, address: sms, settings: { command: place-call } }
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ group: team }]
                        via: [call, { channel: email, unanswered: 2m }]
                        template: page
                """),
            RuleExample(
                """
                channels:
                  call: { plugin: exec, address: sms, settings: { command: place-call } }
                contacts:
                  cat:
                    name: Cat
                    addresses: { sms: "+1-555-0103", email: cat@example.org }
                    preferences: [{ all: [sms, call] }, { channel: email, unanswered: 5m }]
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
                        notify: [{ group: team }]
                        via: [sms, { channel: email, unanswered: ↓2m }]
                        template: page
                """),
            RuleExample(
                """
                contacts:
                  cat:
                    name: Cat
                    addresses: { sms: "+1-555-0103", email: cat@example.org }
                    preferences: [{ all: [sms, email] }, { channel: sms, unanswered: ↓5m }]
                """),
        ])

    /// Reports each `unanswered` item whose previous item has no channel that reports answers.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let organisation = context.organisation
        var result: [Diagnostic] = []
        func answers(_ channel: String) -> Bool? {
            guard let config = organisation.channel(channel), let plugin = context.plugin(config.plugin.value) else { return nil }
            return plugin.descriptor.capabilities.contains(.answers)
        }
        func check(_ items: [ChannelStep], _ what: @autoclosure () -> String) {
            for (previous, item) in zip(items, items.dropFirst()) {
                guard let wait = item.unanswered else { continue }
                let known = previous.channels.map { answers($0.value) }
                // Unknown channels and plugins are reported by their own rules.
                guard !known.contains(where: { $0 != false }) else { continue }
                let names = previous.channels.map(\.value).joined(separator: ", ")
                result.append(
                    kind(
                        "\(what()): '\(item.channels.map(\.value).joined(separator: ", "))' waits \(wait.value) for an unanswered delivery, but "
                            + (previous.channels.count > 1 ? "the plugins of \(names) never report" : "the plugin of \(names) never reports")
                            + " whether anyone answered",
                        at: wait.location,
                        hint: "write 'after: \(wait.value)' to use it \(wait.value) after the start whatever happened, drop the wait to use it only when \(names) fails, or put a channel whose plugin reports answers (e.g. voice) before it"))
            }
        }
        for contact in organisation.contacts { check(contact.preferences, "a preference of contact '\(contact.id.value)'") }
        for labels in context.policyLabels {
            for (label, step) in labels.steps { check(step.via, "the 'via' of \(label)") }
        }
        return result
    }
}
