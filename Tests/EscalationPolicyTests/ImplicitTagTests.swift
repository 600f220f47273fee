import EscalationCore
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

    /// `isNull(_:plain:)` (what `DocumentReader.isNull` asks) against `isNull` of the node, which hashes the text into
    /// `nulls`: chosen scalars and 5,000 random ones, plain and `.any`, under seven tags. Each node gets a new tag, asked
    /// first through `isNull(_:plain:)`, so implicit tags are still unresolved, as in a freshly composed document.
    @Test func isNullOfAPlainScalarAgreesWithIsNull() {
        let tags: [() -> Yams.Tag] = [
            { Yams.Tag(.implicit, .basic) }, { Yams.Tag(.implicit, .default) }, { Yams.Tag(.nonSpecific) }, { Yams.Tag(.null) }, { Yams.Tag(.str) },
            { Yams.Tag(.int) }, { Yams.Tag(.bool) },
        ]
        var texts = ["", "~", "null", "Null", "NULL", "nULL", "~~", "~ ", " ~", "null ", "nulls", "0", "-", "yes", "Étienne", "<<", "15m", "ｎｕｌｌ"]
        let alphabet = Array("~nulNL0é ")
        var rng = SplitMix64(seed: 5)
        for _ in 0..<5_000 {
            texts.append(String((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        var nulls = 0
        for text in texts {
            for tag in tags {
                for style in [Node.Scalar.Style.plain, .any] {
                    let node = Node(text, tag(), style)
                    guard case .scalar(let scalar) = node else { continue }
                    let fast = ImplicitTag.isNull(node, plain: scalar)
                    let expected = ImplicitTag.isNull(Node(text, tag(), style))
                    #expect(fast == expected, "\(text.debugDescription) \(node.tag) \(style)")
                    if expected { nulls += 1 }
                }
            }
        }
        #expect(nulls > 1_000)
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
