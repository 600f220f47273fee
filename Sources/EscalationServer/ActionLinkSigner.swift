import Crypto
import EscalationCore
import EscalationEngine
import Foundation

/// Makes and checks signed action links: `BASE/v1/ack/TOKEN`, where the token carries the action, incident,
/// recipient and expiry, signed with HMAC-SHA256 under the server's link key (kept in a file, so links outlive a
/// restart). Earlier keys still verify, so a key can be rotated with a grace period.
public struct ActionLinkSigner: Sendable {
    /// The key that signs.
    let key: SymmetricKey
    /// Earlier keys, accepted when verifying.
    let previous: [SymmetricKey]
    /// Base URL written into links.
    let baseURL: String
    /// How long a link works after it is sent, in seconds.
    public let validForSeconds: Int

    /// A signer with the configuration's keys, base URL and link validity.
    public init(configuration: ServerConfiguration) {
        key = configuration.linkKey
        previous = configuration.previousLinkKeys
        baseURL = configuration.baseURL
        validForSeconds = configuration.linkValiditySeconds
    }

    /// The URL of a link sent at `now`.
    public func url(for link: ActionLink, now: Instant) -> String {
        "\(baseURL)/v1/ack/\(token(for: link, expires: now.seconds + Int64(validForSeconds)))"
    }

    /// The token of a link that expires at `expires` (epoch seconds).
    public func token(for link: ActionLink, expires: Int64) -> String {
        let payload = Data("1|\(link.action.rawValue)|\(link.incident)|\(link.recipient)|\(expires)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return Self.base64URL(payload) + "." + Self.base64URL(Data(mac))
    }

    /// What a token asks for, or why it is refused (checked against the current key, then the earlier ones).
    func verify(_ token: String, now: Instant) -> Result<SignedAction, LinkRefusal> {
        // A link copied with the full stop or bracket after it in the message still works (base64url has neither).
        let trimmed = token.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?)]>'\""))
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(base64URL: parts[0]), let mac = Self.data(base64URL: parts[1]) else {
            return .failure(.malformed)
        }
        guard ([key] + previous).contains(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: $0) }) else {
            return .failure(.badSignature)
        }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[0] == "1", let action = ActionLink.Action(rawValue: fields[1]), let expires = Int64(fields[4]) else {
            return .failure(.malformed)
        }
        let signed = SignedAction(link: ActionLink(action: action, incident: fields[2], recipient: fields[3]), expires: expires)
        guard expires > now.seconds else { return .failure(.expired(signed)) }
        return .success(signed)
    }

    /// Base64url without padding (`+` as `-`, `/` as `_`, no `=`), mapped byte by byte: every sent message signs a
    /// link, and three Foundation `replacingOccurrences` passes cost more than the HMAC.
    static func base64URL(_ data: Data) -> String {
        let encoded = data.base64EncodedData()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        for byte in encoded {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
