import EscalationCore
import Testing
import Yams

@testable import EscalationPolicy
@testable import EscalationYAML

/// `ImplicitTag` gives a plain scalar composed as with `Resolver.basic` the tag Yams' default resolver would give it,
/// and `DocumentReader.isNull` answers as it did on the node Yams composed.
@Suite struct ImplicitTagTests {
    /// The tag's name.
    func name(_ tag: YAMLTag) -> String { YAMLTag.fixedNames[Int(tag.index)] }

    @Test func agreesWithYamsDefaultResolverOnChosenScalars() {
        let texts = [
            "", "~", "null", "Null", "NULL", "nULL", "yes", "No", "ON", "off", "true", "False", "y", "n", "1", "-1", "+0", "0", "007", "0o17",
            "0b101", "0x1F", "1_000", "1:30", "09:30", "190:20:30", "1.5", ".5", "-.inf", ".NaN", "1e3", "1.0e+3", "<<", "=", "2026-11-27",
            "2026-11-27T10:00:00Z", "15m", "1h30m", "pat", "Étienne", "+1-555-0150", "@ops", "~home", "a b", "0.0.0.0",
        ]
        for text in texts {
            #expect(name(ImplicitTag.of(plain: text)) == Resolver.default.resolveTag(of: Node(text)).rawValue, "scalar \(text.debugDescription)")
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
            #expect(name(ImplicitTag.of(plain: text)) == Resolver.default.resolveTag(of: Node(text)).rawValue, "scalar \(text.debugDescription)")
        }
    }

    /// Scalars shaped like YAML 1.1's numbers and timestamps, each piece drawn or damaged at random, so that every
    /// branch of the byte rules (`of(unlettered:)`) meets texts just inside and just outside its regular expression.
    static func numberLikeTexts(seed: UInt64, count: Int) -> [String] {
        var rng = SplitMix64(seed: seed)
        func pick(_ options: [String]) -> String { options[Int(rng.next() % UInt64(options.count))] }
        func digits(_ alphabet: String, _ most: Int) -> String {
            let letters = Array(alphabet)
            return String((0..<Int(rng.next() % UInt64(most + 1))).map { _ in letters[Int(rng.next() % UInt64(letters.count))] })
        }
        var texts: [String] = []
        for _ in 0..<count {
            let sign = pick(["", "", "+", "-"])
            var text: String
            switch rng.next() % 9 {
            case 0: text = sign + pick(["0b", "0o", "0", "0x", "0B", "0X"]) + digits("0123456789abcdefABFG_", 5)
            case 1: text = sign + digits("123456789", 1) + digits("0123456789_", 4)
            case 2: text = sign + digits("0123456789", 2) + (0..<Int(rng.next() % 4)).map { _ in ":" + digits("0123456789", 3) }.joined()
            case 3: text = sign + digits("0123456789_", 3) + pick(["", "."]) + digits("0123456789_", 3) + pick(["", "e", "E", "e+", "E-", "e-"]) + digits("0123456789", 2)
            case 4: text = sign + "." + digits("0123456789_", 3) + pick(["", "e", "e+", "E-"]) + digits("0123456789", 2)
            case 5: text = sign + digits("0123456789", 2) + pick([":", ":5", ":60", ":1:2"]) + pick([".", "", ".5"]) + digits("0123456789_", 2)
            case 6: text = sign + "." + pick(["inf", "Inf", "INF", "iNf", "nan", "NaN", "NAN", "in"])
            case 7:
                // Mostly well-formed pieces, sometimes a piece of any length.
                func part(_ usual: [String], _ most: Int) -> String { rng.next() % 5 == 0 ? digits("0123456789", most) : pick(usual) }
                text = part(["2026", "1999"], 5) + "-" + part(["1", "01", "12"], 3) + "-" + part(["5", "05", "31"], 3)
                if rng.next() % 4 != 0 {
                    text += pick(["T", "t", " ", "\t", "  ", "x", ""]) + part(["9", "09", "23"], 3) + ":" + part(["00", "59"], 3) + ":" + part(["00", "30"], 3)
                    text += pick(["", ".", ".5", ".123"]) + pick(["", " ", "\t"]) + pick(["", "Z", "z", "+1", "-05", "+05:30", "+5:3", "-123", "+01:"])
                }
            default: text = pick(["<<", "=", "~", "<", "==", "<<<", "~~", "", ".", "+", "-", "_", "0_", "€1", "1€", "١"])
            }
            if rng.next() % 12 == 0 { text += pick(["\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}", "\n\n", " "]) }
            texts.append(text)
        }
        return texts
    }

    @Test func numberAndTimestampRulesAgreeWithYamsRegularExpressions() {
        var tags: [String: Int] = [:]
        for text in Self.numberLikeTexts(seed: 23, count: 20_000) where text.unicodeScalars.first.map({ !$0.properties.isAlphabetic }) ?? false {
            let expected = Resolver.default.resolveTag(of: Node(text)).rawValue
            #expect(name(ImplicitTag.of(plain: text)) == expected, "scalar \(text.debugDescription)")
            tags[expected, default: 0] += 1
        }
        // Every rule is met often enough to be tested both ways.
        for tag in ["int", "float", "timestamp", "str", "merge", "null", "value"] {
            #expect(tags["tag:yaml.org,2002:\(tag)", default: 0] > 20, "\(tag): \(tags)")
        }
    }

    /// The value of `v:` in each text: plain, quoted and explicitly tagged scalars, a map and a list.
    func values(_ texts: [String]) -> [(YAMLDocument, YAMLNode, String)] {
        let forms = ["v: %@\n", "v: \"%@\"\n", "v: !!null %@\n", "v: !!int %@\n", "v: !!str %@\n", "v: ! %@\n"]
        var values: [(YAMLDocument, YAMLNode, String)] = []
        for text in texts + ["{ a: b }", "[~]", "!!null { a: b }", "[15m]"] {
            for form in forms {
                let yaml = form.replacingOccurrences(of: "%@", with: text)
                guard let document = try? YAMLComposer.compose(yaml), let root = document.root, document.isMapping(root) else { continue }
                values.append((document, document.value(root, 0), yaml))
            }
        }
        return values
    }

    static func randomTexts(_ alphabet: String, seed: UInt64, count: Int = 3_000) -> [String] {
        let letters = Array(alphabet)
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in String((0..<Int(rng.next() % 6)).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }) }
    }

    @Test func isNullAgreesWithTheTagOnChosenAndRandomScalars() {
        let texts = ["", "~", "null", "Null", "NULL", "nULL", "~~", "null ", "0", "-", "yes", "Étienne", "<<", "15m"] + Self.randomTexts("~nulNL019_.+", seed: 7)
        let values = values(texts)
        #expect(values.count > 10_000)
        for (document, node, yaml) in values {
            #expect(ImplicitTag.isNull(node, in: document) == (ImplicitTag.of(node, in: document) == .null), "\(yaml.debugDescription)")
        }
    }

    /// `DocumentReader.isNull` against the question it asked of the node Yams composed (a plain scalar whose resolved
    /// tag is `str` and whose text is a null word, or whose tag is `null`).
    @Test func readerIsNullAgreesWithYamsNodes() throws {
        let texts = ["", "~", "null", "Null", "NULL", "nULL", "~~", "nulls", "0", "-", "yes", "Étienne", "<<", "15m", "ｎｕｌｌ"]
            + Self.randomTexts("~nulNL0é", seed: 5)
        var nulls = 0
        for (document, node, yaml) in values(texts) {
            guard case .mapping(let mapping)? = try Yams.compose(yaml: yaml, .basic, .default, .utf8), let yamsNode = mapping.first?.value else {
                Issue.record("Yams does not compose \(yaml.debugDescription)")
                continue
            }
            var expected = false
            if case .scalar(let scalar) = yamsNode, scalar.style == .plain || scalar.style == .any {
                let written = yamsNode.tag.rawValue
                // Yams' `.basic` composes `!!str null` and `null` alike; only an untagged one (or `!`) is a null word.
                let untagged = !yaml.hasPrefix("v: !!")
                expected = written == Tag.Name.str.rawValue ? untagged && ImplicitTag.nulls.contains(scalar.string) : written == Tag.Name.null.rawValue
            }
            let reader = DocumentReader(source: SourceText(file: "f.yaml", text: yaml), document: document, sink: DiagnosticSink())
            #expect(reader.isNull(node) == expected, "\(yaml.debugDescription)")
            if expected { nulls += 1 }
        }
        #expect(nulls > 1_000)
    }

    @Test func isIntAgreesWithTheTagOnChosenAndRandomScalars() {
        let texts = [
            "15m", "30s", "1h30m", "1d", "2w", "0x1F", "0o17", "0b101", "1_000", "1:30", "09:30", "5", "-5", "+0", "1e3", "15M", "0X1f", "0xG",
            "abc", "Étienne", "1 business day", "", "~", "yes",
        ] + Self.randomTexts("0159_:.+-xobabcdefABFgmshdwzGMZé", seed: 11)
        for (document, node, yaml) in values(texts) {
            #expect(ImplicitTag.isInt(node, in: document) == (ImplicitTag.of(node, in: document) == .int), "\(yaml.debugDescription)")
        }
    }

    @Test func quotedAndExplicitlyTaggedScalarsKeepTheirTags() throws {
        let cases = [
            ("v: \"null\"", YAMLTag.str), ("v: !!int 5", .int), ("v: !!null", .null), ("v: 'true'", .str), ("v: true", .bool),
            ("v: !!str null", .str), ("v: !!str 5", .str), ("v: !!str yes", .str), ("v: !!str", .str), ("v: ! null", .null), ("v: ! 5", .int),
        ]
        for (yaml, tag) in cases {
            let document = try YAMLComposer.compose(yaml)
            let root = try #require(document.root)
            #expect(ImplicitTag.of(document.value(root, 0), in: document) == tag, "\(yaml)")
        }
    }
}
