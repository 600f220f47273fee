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
        let organisation = context.organisation
        // Most organisations name only declared channels: check every reference against a set first, and build the
        // labels only when one is missing.
        let declared = Set(organisation.channels.map(\.id.value))
        guard !Self.allDeclared(context, in: declared) else { return [] }
        let known = organisation.channels.map(\.id.value)
        var references: [(String, Located<String>)] = []
        for contact in organisation.contacts {
            references += contact.preferences.flatMap(\.channels).map { ("a preference of contact '\(contact.id.value)'", $0) }
        }
        for labels in context.policyLabels {
            let policy = labels.policy
            for (label, step) in labels.steps {
                references += step.via.flatMap(\.channels).map { ("the 'via' of \(label)", $0) }
                references += step.posts.filter { $0.route == nil }.map { ("a post of \(label)", $0.channel) }
            }
            references += policy.stages.filter { $0.route == nil }.map { ("stage '\($0.id.value)' of policy '\(policy.id.value)'", $0.channel) }
            references += policy.actions.map { ("action '\($0.id.value)' of policy '\(policy.id.value)'", $0.channel) }
        }
        for route in organisation.routes {
            references += route.labelledChannels.map { ("row \($0.row) of route '\(route.id.value)'", $0.channel) }
        }
        let unknown = references.filter {
            organisation.channel($0.1.value) == nil && !context.loaderReported(.channel, $0.1.value)
        }
        return unknown.map { label, reference in
            kind(
                "\(label) names channel '\(reference.value)', which is not declared\(reference.value.didYouMean(known))",
                at: reference.location,
                hint: "declare it under 'channels:' with its plugin, or fix the id")
        }
    }

    /// Whether every channel the preferences, steps, stages, actions and routes name is in `declared`.
    static func allDeclared(_ context: LintContext, in declared: Set<String>) -> Bool {
        let organisation = context.organisation
        let has = { (channel: Located<String>) in declared.contains(channel.value) }
        for contact in organisation.contacts where !contact.preferences.allSatisfy({ $0.channels.allSatisfy(has) }) { return false }
        for labels in context.policyLabels {
            let policy = labels.policy
            for (_, step) in labels.steps {
                if !step.via.allSatisfy({ $0.channels.allSatisfy(has) }) { return false }
                if !step.posts.allSatisfy({ $0.route != nil || has($0.channel) }) { return false }
            }
            if !policy.stages.allSatisfy({ $0.route != nil || has($0.channel) }) { return false }
            if !policy.actions.allSatisfy({ has($0.channel) }) { return false }
        }
        return organisation.routes.allSatisfy { $0.labelledChannels.allSatisfy { has($0.channel) } }
    }
}
