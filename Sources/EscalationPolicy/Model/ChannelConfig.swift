import EscalationCore

/// A named channel instance: a plugin id and its settings.
public struct ChannelConfig: Sendable {
    /// The channel id used in policies.
    public var id: Located<String>
    /// The plugin that delivers through it.
    public var plugin: Located<String>
    /// The contact address kind it reads; defaults to the channel id.
    public var address: Located<String>?
    /// Plugin settings, uninterpreted by the core.
    public var settings: SettingValue?
    /// Free text.
    public var description: String?
    /// How long one delivery may take before it counts as a retryable failure (overrides the plugin's default).
    public var timeout: Located<PolicyDuration>? = nil

    /// The contact address kind this channel reads.
    public var addressKind: String { address?.value ?? id.value }
}
