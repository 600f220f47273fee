import EscalationYAML

/// The tag YAML 1.1 gives a plain scalar (null, bool, int, float, merge…), as Yams' default resolver decides it, but
/// without its seven regular expressions: documents are composed as with `Resolver.basic` (every untagged scalar a
/// string), and only the scalars whose tag matters are classified here. A scalar starting with a letter can only be
/// one of the null or boolean words; the rest (digits, signs, dots…) are matched over their bytes
/// (`of(unlettered:)`). A scalar with a written tag (`!!str 5`, `!!str null`) keeps that tag; the non-specific `!` counts as
/// no tag, as it does for Yams and PyYAML.
enum ImplicitTag {
    static let nulls: Set<String> = ["~", "null", "Null", "NULL", ""]
    static let bools: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// The node's tag: an explicit one as written, else the implicit one of a plain scalar.
    static func of(_ node: YAMLNode, in document: YAMLDocument) -> YAMLTag {
        let written = document.tag(node)
        guard written == .str, document.isPlain(node), !document.isTagWritten(node) else { return written }
        return of(plain: document.string(node))
    }

    /// The implicit tag of an untagged plain scalar's text.
    static func of(plain text: String) -> YAMLTag {
        guard let first = text.unicodeScalars.first else { return .null }
        if first.properties.isAlphabetic {
            if nulls.contains(text) { return .null }
            return bools.contains(text) ? .bool : .str
        }
        return of(unlettered: text)
    }

    /// Whether `of(node) == .int` (a duration such as `15` is checked for a missing unit).
    static func isInt(_ node: YAMLNode, in document: YAMLDocument) -> Bool { of(node, in: document) == .int }

    /// Whether `of(node) == .null`, without a regular expression: Yams' null rule (`~`, `null`, `Null`, `NULL` or
    /// nothing) is the only one that gives null, and those words are `nulls`; they are compared byte by byte.
    static func isNull(_ node: YAMLNode, in document: YAMLDocument) -> Bool {
        let written = document.tag(node)
        guard written == .str, document.isPlain(node), !document.isTagWritten(node) else { return written == .null }
        return document.isNullWord(node)
    }
}
