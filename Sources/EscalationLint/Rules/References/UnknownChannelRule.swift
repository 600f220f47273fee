import EscalationCore
import EscalationPolicy

/// Every channel a `via`, contact preference, post, stage or action names must be declared.
public struct UnknownChannelRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_channel", code: "E023", severity: .error),
        name: "Unknown channel",
        summary: "A channel named in 'via', a contact's 'preferences', a 'post', a stage or an action must be declared under 'channels'.",
        nonTriggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org, sms: "+1-555-0103" }
                    preferences: [sms, { channel: email, after: 5m }]
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: carol }]
                        via: [sms, { channel: email, after: 2m }]
                        template: page
                        post:
                          - { channel: room, template: page }
                    stages:
                      - id: open
                        on: trigger
                        channel: room
                        template: page
                    actions:
                      - id: away
                        channel: room
                        template: page
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                contacts:
                  carol:
                    name: Carol
                    addresses: { email: carol@example.org }
                    preferences: [↓e-mail]
                policies:
                  p:
                    name: P
                    layers:
                      - id: first
                        notify: [{ contact: carol }]
                        via: [↓sms-text, { channel: email, after: 2m }]
                        template: page
                        post:
                          - { channel: ↓slack, template: page }
                    stages:
                      - id: open
                        on: trigger
                        channel: ↓banner
                        template: page
                    actions:
                      - id: away
                        channel: ↓phone-system
                        template: page
                """),
        ])

    /// Reports each reference to an undeclared channel.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let known = context.organisation.channels.map(\.id.value)
        let declared = Set(known)
        var result: [Diagnostic] = []
        // A label is built only for a reference that is missing, which most organisations never have.
        Self.forEachReference(context) { label, reference in
            guard !declared.contains(reference.value), !context.loaderReported(.channel, reference.value) else { return }
            result.append(
                kind(
                    "\(label()) names channel '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                    at: reference.location,
                    hint: "declare it under 'channels:' with its plugin, or fix the id"))
        }
        return result
    }

    /// Calls `body` with every channel the preferences, steps (`via`, then posts), stages, actions and routes name, in
    /// that order, each with its label (built when asked).
    static func forEachReference(_ context: LintContext, _ body: (_ label: () -> String, _ reference: Located<String>) -> Void) {
        let organisation = context.organisation
        for contact in organisation.contacts {
            for channel in contact.preferences.flatMap(\.channels) { body({ "a preference of contact '\(contact.id.value)'" }, channel) }
        }
        for labels in context.policyLabels {
            let policy = labels.policy
            for (label, step) in labels.steps {
                for channel in step.via.flatMap(\.channels) { body({ "the 'via' of \(label)" }, channel) }
                for post in step.posts where post.route == nil { body({ "a post of \(label)" }, post.channel) }
            }
            for stage in policy.stages where stage.route == nil { body({ "stage '\(stage.id.value)' of policy '\(policy.id.value)'" }, stage.channel) }
            for action in policy.actions { body({ "action '\(action.id.value)' of policy '\(policy.id.value)'" }, action.channel) }
        }
        for route in organisation.routes {
            for (row, channel) in route.labelledChannels { body({ "row \(row) of route '\(route.id.value)'" }, channel) }
        }
    }
}
