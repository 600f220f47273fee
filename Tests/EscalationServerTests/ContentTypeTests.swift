import EscalationCore
import Testing

@testable import EscalationServer

/// A Content-Type recognised from its bytes must get the answer of the full reading (split, trim, lowercase).
@Suite("Content-Type of a JSON body")
struct ContentTypeTests {
    static let pieces = [
        "application/json", "application/", "json", "+json", "APPLICATION/JSON", "Application/Json", "text/plain", "vnd.api", ";", "; charset=utf-8",
        ";charset=UTF-8", " ", "\t", "\u{A0}", "\u{301}", "é", "\r\n", "/", "x", "=", "\"", ",", "",
    ]

    @Test("known answers")
    func known() {
        #expect(EscalationAPI.isJSON("application/json"))
        #expect(EscalationAPI.isJSON("application/json; charset=utf-8"))
        #expect(EscalationAPI.isJSON(" Application/JSON ;charset=utf-8"))
        #expect(EscalationAPI.isJSON("application/vnd.api+json"))
        #expect(!EscalationAPI.isJSON("application/jsonx"))
        #expect(!EscalationAPI.isJSON("application/json;\u{301}"))
        #expect(!EscalationAPI.isJSON("text/plain"))
        #expect(!EscalationAPI.isJSON(""))
    }

    @Test("the answer from the bytes is the full reading's on 20,000 random values")
    func equivalence() {
        var generator = SplitMix64(seed: 15)
        var fast = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...4, using: &generator)
            var value = (0..<count).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            // Half of the values start as the usual header does, so the byte path is taken often.
            if Bool.random(using: &generator) { value = "application/json" + value }
            let expected = EscalationAPI.isJSONRead(value)
            #expect(EscalationAPI.isJSON(value) == expected, "\(value.debugDescription)")
            if value.utf8.starts(with: "application/json".utf8), expected { fast += 1 }
        }
        #expect(fast > 2_000)
    }
}
