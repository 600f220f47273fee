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
    /// HMAC-SHA256 with the signing key's pads already hashed, copied for each token (every sent message signs a link;
    /// keying the HMAC anew each time was about half of the signing's cost). The copies share nothing they write: the
    /// digest states are copied on write.
    let keyed: HMAC<SHA256>
    /// Earlier keys, accepted when verifying.
    let previous: [SymmetricKey]
    /// Base URL written into links.
    let baseURL: String
    /// How long a link works after it is sent, in seconds.
    public let validForSeconds: Int

    /// A signer with the configuration's keys, base URL and link validity.
    public init(configuration: ServerConfiguration) {
        key = configuration.linkKey
        keyed = HMAC<SHA256>(key: configuration.linkKey)
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
        // Signed and encoded from the text's own UTF-8 (no `Data` copy of it per sent message).
        var payload = "1|\(link.action.rawValue)|\(link.incident)|\(link.recipient)|\(expires)"
        return payload.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var mac = keyed
            mac.update(data: bytes)
            let code = mac.finalize()
            return Self.base64URL(bytes) + "." + code.withUnsafeBytes { Self.base64URL($0) }
        }
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

    /// Base64url without padding (`+` as `-`, `/` as `_`, no `=`): every sent message signs a link, and three
    /// Foundation `replacingOccurrences` passes cost more than the HMAC.
    static func base64URL(_ data: Data) -> String { data.withUnsafeBytes { base64URL($0) } }

    /// The base64url alphabet.
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding, written straight into the string (no base64 text to map, no array between).
    static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        let alphabet = Self.alphabet
        return String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { out in
            var read = 0
            var written = 0
            func put(_ bits: UInt32, _ count: Int) {
                for index in 0..<count {
                    out[written] = alphabet[Int(bits >> UInt32(18 - 6 * index) & 63)]
                    written += 1
                }
            }
            while read + 3 <= bytes.count {
                put(UInt32(bytes[read]) << 16 | UInt32(bytes[read + 1]) << 8 | UInt32(bytes[read + 2]), 4)
                read += 3
            }
            switch bytes.count - read {
            case 1: put(UInt32(bytes[read]) << 16, 2)
            case 2: put(UInt32(bytes[read]) << 16 | UInt32(bytes[read + 1]) << 8, 3)
            default: break
            }
            return written
        }
    }

    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
