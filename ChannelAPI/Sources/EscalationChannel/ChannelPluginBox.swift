/// Carries a plugin's channel type across a C function boundary (a protocol metatype cannot be passed directly).
/// A plugin's `escalate_make_channel` returns `ChannelPluginBox.retained(MyChannel.self)`.
public final class ChannelPluginBox: Sendable {
    /// The plugin's channel type.
    public let channel: any NotificationChannel.Type

    /// Boxes a channel type.
    public init(_ channel: any NotificationChannel.Type) { self.channel = channel }

    /// A +1 retained box as an opaque pointer, for a plugin's `@_cdecl("escalate_make_channel")` function.
    public static func retained(_ channel: any NotificationChannel.Type) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(ChannelPluginBox(channel)).toOpaque()
    }
}
