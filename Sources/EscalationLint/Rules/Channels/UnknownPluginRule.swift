import EscalationChannel
import EscalationCore
import EscalationPolicy

/// Every channel's plugin must be installed (built in, or loaded with `--plugin` / `ESCALATE_PLUGIN_DIR`).
public struct UnknownPluginRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "unknown_plugin", code: "E037", severity: .error),
        name: "Unknown plugin",
        summary: "A channel's 'plugin' must name an installed channel plugin (see 'escalate plugins list'); skipped when no plugins are known.",
        nonTriggeringExamples: [
            RuleExample(
                """
                channels:
                  ops-log:
                    plugin: file
                    settings: { path: deliveries.jsonl }
                  terminal:
                    plugin: console
                """)
        ],
        triggeringExamples: [
            RuleExample(
                """
                channels:
                  ops-log:
                    plugin: ↓fiel
                    settings: { path: deliveries.jsonl }
                  pager:
                    plugin: ↓pagerduty
                """)
        ])

    /// Reports each channel whose plugin is not in the registry.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        let known = context.channels.ids
        guard !known.isEmpty else { return [] }
        return context.organisation.channels.filter { context.plugin($0.plugin.value) == nil }.map { channel in
            let plugin = channel.plugin.value
            return kind(
                "channel '\(channel.id.value)' uses the plugin '\(plugin)', which is not installed\(plugin.didYouMean(known))",
                at: channel.plugin.location,
                hint: "installed plugins: \(known.sorted().joined(separator: ", ")); load others with --plugin PATH or ESCALATE_PLUGIN_DIR")
        }
    }
}
