import EscalationChannel

/// The plugin API version this plugin was compiled against; escalate refuses the plugin when it differs.
@_cdecl("escalate_plugin_abi_version")
public func escalatePluginABIVersion() -> Int { ChannelPluginABI.version }

/// The plugin's channel type, boxed and retained (escalate takes ownership).
@_cdecl("escalate_make_channel")
public func escalateMakeChannel() -> UnsafeMutableRawPointer { ChannelPluginBox.retained(HelloChannel.self) }
