/// Fills `{{ variable }}` placeholders; a variable with no value renders as `(no value: name)`, never as nothing.
public enum TemplateRenderer {
    /// Renders text with variables. One pass over the UTF-8 bytes: no Foundation searching or trimming, so a render
    /// costs about the length of the text plus one dictionary lookup per placeholder.
    public static func render(_ text: String, variables: [String: String]) -> String {
        render(text) { variables[$0] }
    }

    /// Renders text, asking `value` for each placeholder's name (so only the variables a template uses are computed).
    public static func render(_ text: String, value: (String) -> String?) -> String {
        // Text without a placeholder is returned as it is.
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        let bytes = Array(text.utf8)
        let brace = UInt8(ascii: "{")
        let closing = UInt8(ascii: "}")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == brace, index + 1 < count, bytes[index + 1] == brace else {
                output.append(bytes[index])
                index += 1
                continue
            }
            // Find the closing `}}`; without one the rest is copied as written.
            var end = index + 2
            while end + 1 < count, !(bytes[end] == closing && bytes[end + 1] == closing) { end += 1 }
            guard end + 1 < count else {
                output.append(contentsOf: bytes[index...])
                break
            }
            var start = index + 2
            var stop = end
            while start < stop, isBlank(bytes[start]) { start += 1 }
            while stop > start, isBlank(bytes[stop - 1]) { stop -= 1 }
            let name = String(decoding: bytes[start..<stop], as: UTF8.self)
            if let value = value(name) {
                output.append(contentsOf: value.utf8)
            } else {
                output.append(contentsOf: "(no value: \(name))".utf8)
            }
            index = end + 2
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A space or tab, as `trimmingCharacters(in: .whitespaces)` trims around a placeholder's name.
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
