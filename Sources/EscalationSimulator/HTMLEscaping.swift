/// The one HTML escaping function of the project: the simulation's HTML export, the console's pages (`HTMLText`) and
/// the signed-link pages all escape through it.
public enum HTMLEscaping {
    /// The text with `&`, `<`, `>`, `"` and `'` written as character references (NUL as U+FFFD), safe in element
    /// content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\u{0}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
