import Crypto
import Foundation

/// Who may call the API: bearer tokens per organisation (stored as SHA-256 hashes), and the key for signed links.
public struct ServerConfiguration: Sendable {
    /// SHA-256 hex of a token → the organisation it belongs to.
    public var tokenHashes: [String: String]
    /// Key for one-click acknowledge links (HMAC-SHA256).
    public var linkKey: SymmetricKey
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// Base URL written into links.
    public var baseURL: String

    /// Creates a configuration.
    public init(tokenHashes: [String: String], linkKey: SymmetricKey, maxBodyBytes: Int = 256 * 1024, baseURL: String) {
        self.tokenHashes = tokenHashes
        self.linkKey = linkKey
        self.maxBodyBytes = maxBodyBytes
        self.baseURL = baseURL
    }

    /// The SHA-256 hex of a token, as kept in configuration files.
    public static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The organisation a bearer token belongs to.
    public func organisation(forToken token: String) -> String? { tokenHashes[Self.hash(token: token)] }

    /// The signature of an acknowledge link for an incident that expires at `expires` (epoch seconds).
    public func signature(incident: String, by: String, expires: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(incident)|\(by)|\(expires)".utf8), using: linkKey)
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a link signature is valid (constant-time comparison).
    public func verify(incident: String, by: String, expires: Int64, signature: String) -> Bool {
        let expected = Array(self.signature(incident: incident, by: by, expires: expires).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

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
