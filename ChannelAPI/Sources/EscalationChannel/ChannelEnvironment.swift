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

    /// The bytes a reference starts with.
    private static let referencePrefix: [UInt8] = Array("${env:".utf8)

    /// Whether text is exactly one `${env:NAME}` reference.
    public static func isReference(_ text: String) -> Bool {
        // ASCII text (the usual case) is checked on its bytes, without building the name: there every character is
        // one byte but CR LF, and CR and LF are neither in the prefix, the suffix nor a name. Text with other
        // characters is never a reference (a name is ASCII, and a combining mark after the prefix or the suffix
        // changes that character), but it keeps the character check.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            let prefix = referencePrefix
            guard bytes.count > prefix.count + 1, bytes.starts(with: prefix), bytes[bytes.count - 1] == UInt8(ascii: "}") else { return false }
            let name = bytes[prefix.count..<(bytes.count - 1)]
            func isUpper(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "_") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
            guard let first = name.first, isUpper(first) else { return false }
            return name.allSatisfy { isUpper($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
        if let answer = ascii ?? nil { return answer }
        return referenceName(text) != nil
    }

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
