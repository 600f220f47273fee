import Yams

/// The tag YAML 1.1 gives a plain scalar (null, bool, int, float, merge…), as Yams' default resolver decides it, but
/// without running its seven regular expressions on every scalar: policies are composed with `Resolver.basic` (every
/// untagged scalar a string), and only the scalars whose tag matters are classified here. A scalar starting with a
/// letter can only be one of the null or boolean words; the rest (digits, signs, dots…) go to Yams' own resolver.
/// One difference: a plain scalar explicitly tagged `!!str` is classified too (`!!str null` reads as null).
enum ImplicitTag {
    static let nulls: Set<String> = ["~", "null", "Null", "NULL", ""]
    static let bools: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// The node's tag: an explicit one as written, else the implicit one of a plain scalar.
    static func of(_ node: Node) -> Tag.Name {
        let written = Tag.Name(rawValue: node.tag.rawValue)
        guard case .scalar(let scalar) = node, written == .str, scalar.style == .plain || scalar.style == .any else { return written }
        let text = scalar.string
        guard let first = text.unicodeScalars.first else { return .null }
        if first.properties.isAlphabetic {
            if nulls.contains(text) { return .null }
            return bools.contains(text) ? .bool : .str
        }
        return Resolver.default.resolveTag(of: Node(text))
    }

    /// Whether `of(node) == .int`. An untagged scalar with a letter that no int form uses (all but a-f, A-F, o and x)
    /// is no int, without Yams' regular expressions (a duration such as `15m`, checked for a missing unit).
    static func isInt(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node, Tag.Name(rawValue: node.tag.rawValue) == .str,
            scalar.string.unicodeScalars.contains(where: { ("g"..."z").contains($0) && $0 != "o" && $0 != "x" || ("G"..."Z").contains($0) })
        {
            return false
        }
        return of(node) == .int
    }

    /// Whether `of(node) == .null`, without a regular expression: Yams' null rule (`~`, `null`, `Null`, `NULL` or
    /// nothing) is the only one that gives null, and those words are `nulls`.
    static func isNull(_ node: Node) -> Bool {
        let written = Tag.Name(rawValue: node.tag.rawValue)
        guard case .scalar(let scalar) = node, written == .str, scalar.style == .plain || scalar.style == .any else { return written == .null }
        return nulls.contains(scalar.string)
    }

    /// `isNull(node)` for a plain (or `.any`) scalar, hashing nothing for the scalars that are not null words. Those
    /// are null only when tagged `!!null`: Yams' resolvers (basic and default) give null to no other text. The scalar's
    /// tag may still be unresolved (Yams resolves it on first read of `node.tag`), so a null word goes through `isNull`.
    static func isNull(_ node: Node, plain scalar: Node.Scalar) -> Bool {
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return isNull(node)
        default: return scalar.tag.rawValue == Tag.Name.null.rawValue
        }
    }
}
