import EscalationCore

/// Where `${env:NAME}` references are resolved; the executor passes the process environment, tests a dictionary.
/// It may also carry objects the host hands to plugins by type (`adding(_:)`, `service(_:)`), e.g. a test's log.
public struct ChannelEnvironment: Sendable {
    private let lookup: @Sendable (String) -> String?
    private var services: [ObjectIdentifier: any Sendable] = [:]

    /// An environment backed by a lookup function.
    public init(_ lookup: @escaping @Sendable (String) -> String?) { self.lookup = lookup }

    /// An environment backed by a dictionary.
    public init(_ values: [String: String]) { self.lookup = { values[$0] } }

    /// A copy that also hands `service` to any plugin asking for its type (replacing one of the same type).
    public func adding<Service: Sendable>(_ service: Service) -> ChannelEnvironment {
        var copy = self
        copy.services[ObjectIdentifier(Service.self)] = service
        return copy
    }

    /// The object of this type the host handed to plugins, if any.
    public func service<Service: Sendable>(_ type: Service.Type) -> Service? {
        services[ObjectIdentifier(type)] as? Service
    }

    /// Whether text is exactly one `${env:NAME}` reference.
    public static func isReference(_ text: String) -> Bool { referenceName(text) != nil }

    /// The NAME of a `${env:NAME}` reference.
    public static func referenceName(_ text: String) -> String? {
        guard text.hasPrefix("${env:"), text.hasSuffix("}") else { return nil }
        let name = text.dropFirst(6).dropLast()
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first),
            name.unicodeScalars.allSatisfy({ $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return nil }
        return String(name)
    }

    /// Resolves a setting: a reference becomes the variable's value (an error when unset); plain text stays.
    public func resolve(_ text: String, setting: String) throws(ChannelSetupError) -> String {
        guard let name = Self.referenceName(text) else { return text }
        guard let value = lookup(name), !value.isEmpty else {
            throw ChannelSetupError("\(setting) refers to the environment variable \(name), which is not set")
        }
        return value
    }
}

/// Why a channel cannot be set up (a missing environment variable, a bad setting). Never contains a secret.
public struct ChannelSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
