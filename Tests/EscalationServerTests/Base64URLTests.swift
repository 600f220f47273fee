import Crypto
import EscalationCore
import EscalationEngine
import Foundation
import Testing

@testable import EscalationServer

/// Link tokens are base64url without padding; the byte-mapping encoder must write what the string passes wrote.
@Suite("base64url")
struct Base64URLTests {
    /// The three `replacingOccurrences` passes the byte mapping replaced.
    static func reference(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test("random data of every length up to 80 bytes: the same text, and it decodes back")
    func equivalence() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...80 {
            for _ in 0..<40 {
                let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
                let text = ActionLinkSigner.base64URL(data)
                #expect(text == Self.reference(data))
                #expect(ActionLinkSigner.data(base64URL: Substring(text)) == data)
            }
        }
        // Bytes whose base64 holds `+` and `/` (0xFB 0xFF), with each amount of padding.
        for data in [Data([0xFB]), Data([0xFB, 0xFF]), Data([0xFB, 0xFF, 0xBF]), Data([0xFF, 0xFF, 0xFF, 0xFE])] {
            #expect(ActionLinkSigner.base64URL(data) == Self.reference(data))
        }
    }
}

/// A token signed with the signer's keyed HMAC copy is the token HMAC keyed anew writes, whatever was signed before.
@Suite("Link tokens")
struct LinkTokenTests {
    /// The token as written before the keyed copy: HMAC keyed for each token.
    static func reference(_ link: ActionLink, expires: Int64, key: SymmetricKey) -> String {
        let payload = Data("1|\(link.action.rawValue)|\(link.incident)|\(link.recipient)|\(expires)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return Base64URLTests.reference(payload) + "." + Base64URLTests.reference(Data(mac))
    }

    @Test("2,000 random links under 3 keys (one signer each, used in turn): the reference's tokens, and each verifies")
    func equivalence() {
        var generator = SplitMix64(seed: 5)
        let keys = [SymmetricKey(size: .bits256), SymmetricKey(size: .bits128), SymmetricKey(data: Array(repeating: UInt8(7), count: 100))]
        let signers = keys.map { key in
            ActionLinkSigner(
                configuration: ServerConfiguration(tokenHashes: [:], linkKey: key, previousLinkKeys: [], baseURL: "http://test"))
        }
        let pieces = ["a", "Z", "0", "-", "é", " ", "🚨", "acme-top2v4-4-775579325", ""]
        let actions: [ActionLink.Action] = [.acknowledge, .resolve, .escalate]
        for _ in 0..<2_000 {
            let word = { (generator: inout SplitMix64) in (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined() }
            let link = ActionLink(
                action: actions.randomElement(using: &generator) ?? .acknowledge, incident: word(&generator), recipient: word(&generator))
            let expires = Int64.random(in: 0...4_000_000_000, using: &generator)
            let index = Int.random(in: 0..<keys.count, using: &generator)
            let token = signers[index].token(for: link, expires: expires)
            #expect(token == Self.reference(link, expires: expires, key: keys[index]))
            if case .success(let signed) = signers[index].verify(token, now: Instant(seconds: expires - 1)) {
                #expect(signed.link == link && signed.expires == expires)
            } else {
                Issue.record("the token of \(link) does not verify")
            }
        }
    }
}
