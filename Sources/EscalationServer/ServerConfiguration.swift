import Crypto
import Foundation

/// Who may call the API: bearer tokens per organisation and integration keys for event senders (both stored as
/// SHA-256 hashes), and the keys for signed links.
public struct ServerConfiguration: Sendable {
    /// SHA-256 hex of a token → the organisation it belongs to.
    public var tokenHashes: [String: String]
    /// SHA-256 hex of an integration key (the `routing_key` of PagerDuty events) → where its events go, at start
    /// (the API's `IntegrationKeyring` holds the keys in force).
    public var integrationKeys: [String: IntegrationRoute]
    /// Key that signs action links (HMAC-SHA256).
    public var linkKey: SymmetricKey
    /// Earlier link keys, still accepted when checking a link (rotation with a grace period); never used to sign.
    public var previousLinkKeys: [SymmetricKey]
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// The default largest request body: 256 KiB.
    public static let defaultMaxBodyBytes = 256 * 1024
    /// Base URL written into links.
    public var baseURL: String
    /// How long an action link works after it is sent, in seconds.
    public var linkValiditySeconds: Int = 86_400
    /// Events a minute one integration key (or, in the bearer form, one organisation) may send; more are answered
    /// 429 with `Retry-After`, as PagerDuty throttles.
    public var eventsPerMinute: Int = 120

    /// Creates a configuration.
    public init(
        tokenHashes: [String: String], integrationKeys: [String: IntegrationRoute] = [:], linkKey: SymmetricKey,
        previousLinkKeys: [SymmetricKey] = [], maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes, baseURL: String
    ) {
        self.tokenHashes = tokenHashes
        self.integrationKeys = integrationKeys
        self.linkKey = linkKey
        self.previousLinkKeys = previousLinkKeys
        self.maxBodyBytes = maxBodyBytes
        self.baseURL = baseURL
    }

    /// The SHA-256 hex of a token, as kept in configuration files.
    public static func hash(token: String) -> String {
        // Hex digits by table: `String(format:)` per byte cost more than the hash itself, on every request.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The organisation a bearer token belongs to.
    public func organisation(forToken token: String) -> String? { tokenHashes[Self.hash(token: token)] }

    /// Reads `tokens` from a YAML-free format: lines of `organisation sha256hex` (comments with #).
    public static func parseTokenFile(_ text: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 2, parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else {
                throw TokenFileError(description: "line \(index + 1): write 'ORGANISATION SHA256HEX' (get the hash with: printf %s TOKEN | sha256sum)")
            }
            result[parts[1].lowercased()] = parts[0]
        }
        return result
    }

    /// A malformed token file.
    public struct TokenFileError: Error, CustomStringConvertible, Sendable {
        /// What is wrong.
        public var description: String
    }
}
