import EscalationCore

/// The channel plugins available to a process, by id. Filled in one place at start; a duplicate id is an error.
public struct ChannelRegistry: Sendable {
    /// Registered plugin types, in registration order.
    public private(set) var plugins: [any NotificationChannel.Type] = []
    /// The same plugins by id (filled by `register`), so a lookup builds no descriptor on the way.
    private var byID: [String: any NotificationChannel.Type] = [:]

    /// An empty registry.
    public init() {}

    /// A registry with these plugins; throws on a duplicate id.
    public init(_ plugins: [any NotificationChannel.Type]) throws(RegistryError) {
        for plugin in plugins { try register(plugin) }
    }

    /// Two plugins claim the same id.
    public struct RegistryError: Error, Sendable, CustomStringConvertible {
        /// What clashed.
        public var description: String
    }

    /// Adds a plugin; throws when its id is taken.
    public mutating func register(_ plugin: any NotificationChannel.Type) throws(RegistryError) {
        let id = plugin.descriptor.id
        if byID[id] != nil {
            throw RegistryError(description: "two channel plugins have the id '\(id)'; each plugin id must be unique")
        }
        plugins.append(plugin)
        byID[id] = plugin
    }

    /// The plugin with this id.
    public func plugin(_ id: String) -> (any NotificationChannel.Type)? { byID[id] }

    /// All plugin ids.
    public var ids: [String] { plugins.map { $0.descriptor.id } }
}
