import EscalationChannel
import EscalationCore
import EscalationPolicy

/// Each channel's settings must satisfy its plugin: the plugin validates them and reports located problems.
public struct InvalidChannelSettingsRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: ChannelSettings.problem,
        name: "Invalid channel settings",
        summary: "A channel's 'settings' are checked by its plugin: required settings, unknown keys, secrets as ${env:NAME}, and each "
            + "plugin's own checks (e.g. a stream name, a timeout). Skipped for unknown plugins and when no plugins are known.",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  terminal:
                    plugin: console
                    settings: { stream: stderr }
                  ops-log:
                    plugin: file
                    settings: { path: deliveries.jsonl }
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                channels:
                  terminal:
                    plugin: console
                    settings: { stream: ↓stdot }
                  ↓ops-log:
                    plugin: file
                """),
            RuleExample(
                """
                channels:
                  ops-log:
                    plugin: file
                    settings:
                      path: deliveries.jsonl
                      ↓mode: append
                """),
        ])

    /// Runs each channel's plugin validation.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        context.organisation.channels.flatMap { channel -> [Diagnostic] in
            guard let plugin = context.plugin(channel.plugin.value) else { return [] }
            return ChannelSettings(channel: channel.id.value, value: channel.settings, location: channel.id.location).problems(for: plugin)
        }
    }
}
