import EscalationChannel
import EscalationCore
import EscalationPolicy

/// A channel whose plugin takes answers (`InboundChannel`) but whose settings lack the secret that verifies them (a note:
/// a chat channel nobody answers on needs none; a required secret, as SMS's auth token, is already an error).
public struct InboundUnverifiableRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "inbound_unverifiable", code: "N001", severity: .note),
        name: "Inbound answers cannot be verified",
        summary: "The channel's plugin takes answers on POST /v1/inbound/{channel} (replies, keypresses, buttons), but its settings lack the "
            + "secret that verifies the provider's requests, so every answer would be refused (and, for chat, messages carry no buttons).",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  chat: { plugin: slack, settings: { token: "${env:SLACK_TOKEN}", signing_secret: "${env:SLACK_SIGNING_SECRET}" } }
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                channels:
                  chat: { plugin: ↓slack, settings: { token: "${env:SLACK_TOKEN}" } }
                """)
        ])

    /// Reports channels of inbound plugins without their verifying secret.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        context.organisation.channels.compactMap { channel in
            guard let plugin = context.plugin(channel.plugin.value) as? any InboundChannel.Type else { return nil }
            let setting = plugin.inboundSecretSetting
            // Mail replies come through serve's SMTP listener, checked by sender and thread; the secret is for a webhook.
            if channel.settings?[setting] != nil || plugin.descriptor.capabilities.contains(.mail) { return nil }
            return kind(
                "channel '\(channel.id.value)' (plugin '\(channel.plugin.value)') takes answers, but has no '\(setting)' to verify them with",
                at: channel.plugin.location,
                hint: "add '\(setting): ${env:NAME}' to its settings, or ignore this if nobody answers on it")
        }
    }
}
