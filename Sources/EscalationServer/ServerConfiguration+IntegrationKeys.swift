import Foundation

extension ServerConfiguration {
    /// Why integration keys could not be read; `cause` says which source was wrong (compare it, never the text).
    /// Never holds a key.
    public struct IntegrationKeyError: Error, CustomStringConvertible, Sendable {
        /// The source that was wrong (a struct over a private enum, so new causes break no caller).
        public struct Cause: Sendable, Hashable {
            private enum Value: Sendable, Hashable {
                case unreadableFile, malformedFile, missingVariable, malformedEnvironment
            }

            private let value: Value

            /// The key file cannot be read.
            public static let unreadableFile = Cause(value: .unreadableFile)
            /// The key file has a malformed line.
            public static let malformedFile = Cause(value: .malformedFile)
            /// A `${env:NAME}` the key file names is not set.
            public static let missingVariable = Cause(value: .missingVariable)
            /// `ESCALATE_INTEGRATION_KEYS` is malformed.
            public static let malformedEnvironment = Cause(value: .malformedEnvironment)
        }

        /// The cause.
        public var cause: Cause
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// Reads the integration keys (the `routing_key` a PagerDuty-speaking sender puts in its events) from a key file,
    /// and from `ESCALATE_INTEGRATION_KEYS` (`org/policy=KEY,org2=KEY2`); both may be given. A key file has lines
    /// `ORGANISATION[/POLICY] SHA256HEX` (the hash of the key) or `ORGANISATION[/POLICY] ${env:NAME}` (the key is the
    /// value of NAME); `#` starts a comment. Keys are kept hashed only; no error message contains one.
    public static func integrationKeys(file: String?, environment: [String: String]) throws(IntegrationKeyError) -> [String: IntegrationRoute] {
        var keys: [String: IntegrationRoute] = [:]
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw IntegrationKeyError(cause: .unreadableFile, description: "cannot read the integration key file \(file)")
            }
            keys = try parseIntegrationKeyFile(text, name: file, environment: environment)
        }
        if let pairs = environment["ESCALATE_INTEGRATION_KEYS"] {
            for pair in pairs.split(separator: ",") {
                guard let equals = pair.firstIndex(of: "="), let route = IntegrationRoute(parsing: String(pair[..<equals])),
                    pair.index(after: equals) != pair.endIndex
                else {
                    throw IntegrationKeyError(
                        cause: .malformedEnvironment, description: "ESCALATE_INTEGRATION_KEYS must be 'org/policy=KEY,org2=KEY2' (the policy is optional)")
                }
                keys[hash(token: String(pair[pair.index(after: equals)...]))] = route
            }
        }
        return keys
    }

    /// Parses an integration key file (see `integrationKeys(file:environment:)`).
    public static func parseIntegrationKeyFile(
        _ text: String, name: String, environment: [String: String]
    ) throws(IntegrationKeyError) -> [String: IntegrationRoute] {
        var keys: [String: IntegrationRoute] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let place = "\(name):\(index + 1)"
            guard parts.count == 2, let route = IntegrationRoute(parsing: parts[0]) else {
                throw IntegrationKeyError(
                    cause: .malformedFile,
                    description: "\(place): write 'ORGANISATION[/POLICY] SHA256HEX' (printf %s KEY | sha256sum) or 'ORGANISATION[/POLICY] ${env:NAME}'")
            }
            let value = parts[1]
            if value.hasPrefix("${env:"), value.hasSuffix("}") {
                let variable = String(value.dropFirst(6).dropLast())
                guard let key = environment[variable], !key.isEmpty else {
                    throw IntegrationKeyError(cause: .missingVariable, description: "\(place): the environment variable \(variable) is not set")
                }
                keys[hash(token: key)] = route
            } else if value.count == 64, value.allSatisfy(\.isHexDigit) {
                keys[value.lowercased()] = route
            } else {
                throw IntegrationKeyError(
                    cause: .malformedFile,
                    description: "\(place): the key must be given as its SHA-256 (64 hex digits: printf %s KEY | sha256sum) or as ${env:NAME}, never in clear")
            }
        }
        return keys
    }
}
