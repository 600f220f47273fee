/// Rules for identifiers and field names.
public enum FieldName {
    /// `[a-z][a-z0-9_-]*`.
    public static func isValidIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Dot-joined `[a-z][a-z0-9_]*` segments (`session.start`).
    /// Checked byte by byte: a valid name is ASCII, and any other byte makes its segment invalid however the text is
    /// split, so this answers as splitting the characters at dots and checking each segment.
    public static func isValid(_ text: String) -> Bool {
        var atSegmentStart = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                if atSegmentStart { return false }
                atSegmentStart = true
            } else if atSegmentStart {
                guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { return false }
                atSegmentStart = false
            } else {
                let letter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
                let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                guard letter || digit || byte == UInt8(ascii: "_") else { return false }
            }
        }
        return !atSegmentStart
    }
}
