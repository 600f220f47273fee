import Testing
import Yams

@testable import EscalationPolicy

/// `ImplicitTag` gives a plain scalar composed with `Resolver.basic` the tag Yams' default resolver would give it.
@Suite struct ImplicitTagTests {
    /// The node as `PolicyLoader` composes it: untagged, plain, resolved by `Resolver.basic`.
    func composed(_ text: String) -> Node { Node(text, Tag(.implicit, .basic), .plain) }

    @Test func agreesWithYamsDefaultResolverOnChosenScalars() {
        let texts = [
            "", "~", "null", "Null", "NULL", "nULL", "yes", "No", "ON", "off", "true", "False", "y", "n", "1", "-1", "+0", "0", "007", "0o17",
            "0b101", "0x1F", "1_000", "1:30", "09:30", "190:20:30", "1.5", ".5", "-.inf", ".NaN", "1e3", "1.0e+3", "<<", "=", "2026-11-27",
            "2026-11-27T10:00:00Z", "15m", "1h30m", "pat", "Étienne", "+1-555-0150", "@ops", "~home", "a b", "0.0.0.0",
        ]
        for text in texts {
            #expect(ImplicitTag.of(composed(text)) == Resolver.default.resolveTag(of: Node(text)), "scalar \(text.debugDescription)")
        }
    }

    @Test func agreesWithYamsDefaultResolverOnRandomScalars() {
        let alphabet = Array("019_:.eE+-~<=xbonulyYTtrNaifZ ")
        var state: UInt64 = 42
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) % 7
            let text = String(
                (0..<length).map { index in alphabet[Int((state >> UInt64(8 * index + 3)) % UInt64(alphabet.count))] })
            #expect(ImplicitTag.of(composed(text)) == Resolver.default.resolveTag(of: Node(text)), "scalar \(text.debugDescription)")
        }
    }

    @Test func isNullAgreesWithTheTagOnChosenAndRandomScalars() {
        var nodes = [
            "", "~", "null", "Null", "NULL", "nULL", "~~", "~ ", "null ", "0", "-", "yes", "Étienne", "<<", "15m",
        ].flatMap { text in
            [composed(text), Node(text, Tag(.implicit, .basic), .doubleQuoted), Node(text, Tag(.null), .plain), Node(text, Tag(.int), .plain)]
        }
        nodes += [Node([(Node("a"), Node("b"))]), Node([Node("~")])]
        let alphabet = Array("~nulNL019_:.+- ")
        var state: UInt64 = 7
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) % 6
            nodes.append(composed(String((0..<length).map { index in alphabet[Int((state >> UInt64(8 * index + 3)) % UInt64(alphabet.count))] })))
        }
        for node in nodes {
            #expect(ImplicitTag.isNull(node) == (ImplicitTag.of(node) == .null), "node \(node)")
        }
    }

    @Test func isIntAgreesWithTheTagOnChosenAndRandomScalars() {
        var nodes = [
            "15m", "30s", "1h30m", "1d", "2w", "0x1F", "0o17", "0b101", "1_000", "1:30", "09:30", "5", "-5", "+0", "1e3", "15M", "0X1f", "0xG",
            "15m\n", "15\n", "abc", "Étienne", "1 business day", "", "~", "yes",
        ].flatMap { text in
            [composed(text), Node(text, Tag(.implicit, .basic), .doubleQuoted), Node(text, Tag(.int), .plain), Node(text, Tag(.str), .plain)]
        }
        nodes += [Node([(Node("a"), Node("b"))]), Node([Node("15m")])]
        let alphabet = Array("0159_:.+-xobabcdefABFgmshdwzGMZé\n ")
        var state: UInt64 = 11
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) % 7
            nodes.append(composed(String((0..<length).map { index in alphabet[Int((state >> UInt64(8 * index + 3)) % UInt64(alphabet.count))] })))
        }
        for node in nodes {
            #expect(ImplicitTag.isInt(node) == (ImplicitTag.of(node) == .int), "node \(node)")
        }
    }

    @Test func quotedAndExplicitlyTaggedScalarsKeepTheirTags() {
        #expect(ImplicitTag.of(Node("null", Tag(.implicit, .basic), .doubleQuoted)) == .str)
        #expect(ImplicitTag.of(Node("5", Tag(.int, .basic), .plain)) == .int)
        #expect(ImplicitTag.of(Node("", Tag(.null))) == .null)
    }
}
