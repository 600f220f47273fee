/// The version of the plugin API (this module and EscalationCore) that dynamically loaded plugins are checked against.
/// Bump it whenever a public declaration of either module changes: a plugin built against another version is refused,
/// because Swift has no stable ABI here (an added protocol requirement shifts witness tables and crashes old plugins).
public enum ChannelPluginABI {
    /// The version, compiled into each client (the host and every plugin) rather than read from the library.
    @_alwaysEmitIntoClient public static var version: Int { 6 }

    /// The C symbol a plugin exports returning the version it was built against (`@_cdecl`, `() -> Int`).
    public static let versionSymbol = "escalate_plugin_abi_version"

    /// The C symbol a plugin exports returning a retained `ChannelPluginBox` (`@_cdecl`, `() -> UnsafeMutableRawPointer`).
    public static let factorySymbol = "escalate_make_channel"
}
