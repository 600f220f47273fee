/// Fills `{{ variable }}` placeholders; a variable with no value renders as `(no value: name)`, never as nothing.
public enum TemplateRenderer {
    /// A piece of a template's text: literal text, or a placeholder's name (blanks around it trimmed).
    public enum Segment: Hashable, Sendable {
        /// Literal text.
        case text(String)
        /// The name inside `{{ … }}`.
        case placeholder(String)
    }

    /// Renders text with variables.
    public static func render(_ text: String, variables: [String: String]) -> String {
        render(text) { variables[$0] }
    }

    /// Renders text, asking `value` for each placeholder's name (so only the variables a template uses are computed).
    public static func render(_ text: String, value: (String) -> String?) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var output = ""
        for segment in segments(text) {
            switch segment {
            case .text(let literal): output += literal
            case .placeholder(let name): output += value(name) ?? "(no value: \(name))"
            }
        }
        return output
    }

    /// Splits text into literal pieces and placeholders, in one pass over the UTF-8 bytes: `{{` opens a placeholder,
    /// the next `}}` closes it, spaces and tabs around the name are trimmed, and an unclosed `{{` is literal text to
    /// the end. The engine splits each template once, so a render only appends.
    public static func segments(_ text: String) -> [Segment] {
        // Text without a placeholder is one literal piece.
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text.isEmpty ? [] : [.text(text)] }
        let bytes = Array(text.utf8)
        let brace = UInt8(ascii: "{")
        let closing = UInt8(ascii: "}")
        var result: [Segment] = []
        var literalStart = 0
        var index = 0
        let count = bytes.count
        func flushLiteral(upTo end: Int) {
            if end > literalStart { result.append(.text(String(decoding: bytes[literalStart..<end], as: UTF8.self))) }
        }
        while index < count {
            guard bytes[index] == brace, index + 1 < count, bytes[index + 1] == brace else {
                index += 1
                continue
            }
            // Find the closing `}}`; without one the rest is literal text.
            var end = index + 2
            while end + 1 < count, !(bytes[end] == closing && bytes[end + 1] == closing) { end += 1 }
            guard end + 1 < count else { break }
            flushLiteral(upTo: index)
            var start = index + 2
            var stop = end
            while start < stop, isBlank(bytes[start]) { start += 1 }
            while stop > start, isBlank(bytes[stop - 1]) { stop -= 1 }
            result.append(.placeholder(String(decoding: bytes[start..<stop], as: UTF8.self)))
            index = end + 2
            literalStart = index
        }
        flushLiteral(upTo: count)
        return result
    }

    /// A space or tab, as `trimmingCharacters(in: .whitespaces)` trims around a placeholder's name.
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
