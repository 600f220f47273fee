/// Why a link is refused.
enum LinkRefusal: Error, Hashable {
    /// Not a token this server makes (cut short, or altered beyond its form).
    case malformed
    /// Altered, or signed with a key this server no longer has.
    case badSignature
    /// Genuine but past its expiry.
    case expired(SignedAction)
}

extension LinkRefusal {
    /// The reason in one word, for the log.
    var reason: String {
        switch self {
        case .malformed: "malformed"
        case .badSignature: "signature"
        case .expired: "expired"
        }
    }
}
