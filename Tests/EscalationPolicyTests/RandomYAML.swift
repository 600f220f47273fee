import EscalationCore

/// Random YAML documents for the composer's equivalence test: nested block and flow mappings and sequences, every
/// scalar style (plain, quoted with escapes, literal, folded), explicit tags, comments, anchors and aliases (some
/// undefined), `<<` merge keys, repeated keys (also canonically equivalent ones), non-ASCII text, and, for some
/// documents, a mistake: an unterminated quote, a tab, a stray colon, bad indentation, an unclosed bracket, a second
/// document, a control character, a byte order mark.
struct RandomYAML {
    var rng: SplitMix64
    private var anchors: [String] = []
    private var anchorCount = 0

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    private mutating func below(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    private mutating func pick(_ choices: [String]) -> String { choices[below(choices.count)] }

    static let words = [
        "a", "b", "name", "15m", "~", "null", "Null", "true", "yes", "Off", "1", "-3", "0x1F", "0o17", "1:30", "1.5", ".inf", "é", "Ünïcode",
        "x y", "2026-01-05", "a#b", "K", "\u{212A}", "e\u{301}", "\u{E9}", "ok-id", "Bad Id", "{{ incident.x }}", "12_000",
    ]
    static let keys = ["a", "b", "c", "id", "name", "<<", "\u{E9}", "e\u{301}", "K", "\u{212A}", "x y", "1", "true"]

    /// One document's text.
    mutating func document() -> String {
        anchors = []
        anchorCount = 0
        var text: String
        switch below(10) {
        case 0: text = sequence(indent: 0, depth: 0)
        case 1: text = flow(depth: 0) + "\n"
        case 2: text = scalar() + "\n"
        default: text = mapping(indent: 0, depth: 0)
        }
        if below(8) == 0 { text = pick(["---\n", "%YAML 1.1\n---\n", "# a comment\n", "--- # doc\n"]) + text }
        if below(10) == 0 { text += pick(["...\n", "---\nsecond: doc\n", "--- \n", "# end\n"]) }
        if below(4) == 0 { text = damage(text) }
        return text
    }

    private mutating func damage(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = below(lines.count)
        switch below(10) {
        case 0: lines[line] += " \"unterminated"
        case 1: lines[line] = "\t" + lines[line]
        case 2: lines[line] += ": stray: colon"
        case 3: lines[line] = "   " + lines[line]
        case 4: lines[line] += " [unclosed, list"
        case 5: lines[line] += " { unclosed: map"
        case 6: lines[line] += " 'single"
        case 7: lines[line] = "\u{7}" + lines[line]
        case 8: return "\u{FEFF}" + text
        default: lines[line] = String(lines[line].dropLast(min(2, lines[line].count)))
        }
        return lines.joined(separator: "\n")
    }

    private mutating func anchorPrefix() -> String {
        guard below(6) == 0 else { return "" }
        anchorCount += 1
        let name = below(4) == 0 && !anchors.isEmpty ? anchors[below(anchors.count)] : "a\(anchorCount)"
        anchors.append(name)
        return "&\(name) "
    }

    private mutating func alias() -> String? {
        guard below(8) == 0 else { return nil }
        if anchors.isEmpty || below(10) == 0 { return "*nope" }
        return "*" + anchors[below(anchors.count)]
    }

    mutating func scalar() -> String {
        if let alias = alias() { return alias }
        let prefix = anchorPrefix()
        let tag = below(10) == 0 ? pick(["!!str ", "!!int ", "!custom ", "! ", "!!null ", "!!merge ", "!!float "]) : ""
        switch below(12) {
        case 0: return prefix + tag + "'\(pick(Self.words).replacingOccurrences(of: "'", with: "''"))'"
        case 1: return prefix + tag + "'it''s here'"
        case 2: return prefix + tag + "\"\(pick(["tab\\tnew\\nline", "\\u00e9t\\u00E9", "\\x41\\x42", "nul\\0byte", "quote \\\" in", "plain", ""]))\""
        case 3: return prefix + tag + "\"\(pick(Self.words))\""
        default:
            var word = pick(Self.words)
            if word.hasPrefix("{") { word = "\"\(word)\"" }
            return prefix + tag + word
        }
    }

    private mutating func key() -> String {
        let key = pick(Self.keys)
        switch below(12) {
        case 0: return "\"\(key)\""
        case 1: return "'\(key)'"
        case 2: return "!!str \(key)"
        case 3 where !anchors.isEmpty: return "*" + anchors[below(anchors.count)] + " "
        case 4: return "? " + pick(["[a, b]", "{ k: v }", "complex"]) + "\n"
        default: return key
        }
    }

    /// A block value after `key:` or `-`: a scalar on the same line, or a nested collection on the lines below.
    private mutating func value(indent: Int, depth: Int) -> String {
        let choice = below(20)
        if depth < 3, choice < 5 { return " " + anchorPrefix() + "\n" + mapping(indent: indent + 2, depth: depth + 1) }
        if depth < 3, choice < 8 { return " " + anchorPrefix() + "\n" + sequence(indent: indent + 2, depth: depth + 1) }
        if choice < 10 { return " " + anchorPrefix() + flow(depth: depth) + "\n" }
        if choice == 10 {
            let pad = String(repeating: " ", count: indent + 2)
            return " \(pick(["|", ">", "|-", ">+", "|2"]))\n\(pad)line one\n\(pad)  more {{ x }}\n\n\(pad)last\n"
        }
        if choice == 11 { return "\n" }
        return " " + scalar() + (below(8) == 0 ? " # note" : "") + "\n"
    }

    mutating func mapping(indent: Int, depth: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var text = ""
        for _ in 0..<(1 + below(4)) {
            if below(10) == 0 { text += pad + "# comment é\n" }
            let key = key()
            if key.hasPrefix("? ") {
                text += pad + key + pad + ":" + value(indent: indent, depth: depth)
            } else if key == "<<", below(2) == 0 {
                let merged = anchors.isEmpty ? "{ a: 1, b: 2 }" : (below(2) == 0 ? "*\(anchors[below(anchors.count)])" : "[" + anchors.map { "*" + $0 }.joined(separator: ", ") + "]")
                text += pad + "<<: " + merged + "\n"
            } else {
                text += pad + key + ":" + value(indent: indent, depth: depth)
            }
        }
        return text
    }

    mutating func sequence(indent: Int, depth: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var text = ""
        for _ in 0..<(1 + below(4)) {
            text += pad + "-" + value(indent: indent, depth: depth)
        }
        return text
    }

    mutating func flow(depth: Int) -> String {
        if let alias = alias() { return alias }
        let count = below(4)
        if depth < 3, below(2) == 0 {
            let items = (0..<count).map { _ in below(5) == 0 ? flow(depth: depth + 1) : scalar() }
            return "[" + items.joined(separator: ", ") + "]"
        }
        let pairs = (0..<count).map { _ in
            let key = pick(Self.keys)
            return "\(key): \(below(5) == 0 ? flow(depth: depth + 1) : scalar())"
        }
        return "{ " + pairs.joined(separator: ", ") + " }"
    }
}
