import Crypto
import EscalationCore
import Foundation

/// A one-time console sign-in link, `BASE/console/link?token=TOKEN`: the token names an organisation, a random
/// nonce and an expiry, signed with HMAC-SHA256 under the server's link key (the key of acknowledge links, with a
/// different payload form, so neither kind of token passes for the other). `escalate console-link` makes them; the
/// console lets each nonce sign in once.
public struct ConsoleSignInLink: Sendable, Hashable {
    /// The longest a link may be valid, in seconds (one hour).
    public static let longestSeconds = 3_600

    /// Why a link cannot be made; never holds a key.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// Why a token is refused.
    enum Refusal: Error, Hashable {
        /// Not a token of this form (cut short, or altered beyond its form).
        case malformed
        /// Altered, or signed with a key this server does not have.
        case badSignature
        /// Genuine but past its expiry.
        case expired
    }

    /// The organisation it signs in to.
    public var organisation: String
    /// The random value that makes it single-use.
    public var nonce: String
    /// Epoch seconds after which it no longer works.
    public var expires: Int64

    /// A new link for `organisation` valid for `validForSeconds` (1 s to one hour) from `now`, with a random nonce.
    public init(organisation: String, validForSeconds: Int, now: Instant) throws(Problem) {
        guard !organisation.isEmpty, organisation.count <= 200,
            organisation.unicodeScalars.allSatisfy({ $0 != "|" && !CharacterSet.whitespacesAndNewlines.contains($0) && !CharacterSet.controlCharacters.contains($0) })
        else { throw Problem(description: "'\(organisation)' is not an organisation id (no spaces or '|', at most 200 characters)") }
        guard (1...Self.longestSeconds).contains(validForSeconds) else {
            throw Problem(description: "a sign-in link is valid for 1 second to 1 hour, not \(validForSeconds) seconds")
        }
        var generator = SystemRandomNumberGenerator()
        self.organisation = organisation
        nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        expires = now.seconds + Int64(validForSeconds)
    }

    init(organisation: String, nonce: String, expires: Int64) {
        self.organisation = organisation
        self.nonce = nonce
        self.expires = expires
    }

    /// The token, signed with `key`.
    public func token(key: SymmetricKey) -> String {
        let payload = Data("console-1|\(organisation)|\(nonce)|\(expires)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return ActionLinkSigner.base64URL(payload) + "." + ActionLinkSigner.base64URL(Data(mac))
    }

    /// The URL under `baseURL` (the server's `--base-url`), signed with `key`.
    public func url(baseURL: String, key: SymmetricKey) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/console/link?token=\(token(key: key))"
    }

    /// The link a token stands for, or why it is refused (checked against each key).
    static func verify(_ token: String, keys: [SymmetricKey], now: Instant) -> Result<ConsoleSignInLink, Refusal> {
        let parts = token.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard token.count <= 1_000, parts.count == 2, let payload = ActionLinkSigner.data(base64URL: parts[0]),
            let mac = ActionLinkSigner.data(base64URL: parts[1])
        else { return .failure(.malformed) }
        guard keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: $0) }) else {
            return .failure(.badSignature)
        }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == "console-1", !fields[1].isEmpty, fields[2].count == 32, let expires = Int64(fields[3]) else {
            return .failure(.malformed)
        }
        guard expires > now.seconds else { return .failure(.expired) }
        return .success(ConsoleSignInLink(organisation: fields[1], nonce: fields[2], expires: expires))
    }
}
