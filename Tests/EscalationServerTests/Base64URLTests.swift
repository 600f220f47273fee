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
