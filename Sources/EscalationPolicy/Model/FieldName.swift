/// Rules for identifiers and field names.
public enum FieldName {
    /// `[a-z][a-z0-9_-]*`.
    /// Checked byte by byte: every allowed scalar is one ASCII byte, and any other scalar has a byte outside the set.
    public static func isValidIdentifier(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { isValidIdentifier(bytes: $0) } ?? isValidIdentifier(bytes: text.utf8)
    }

    /// `isValidIdentifier` of the text's UTF-8 bytes (over a buffer when the text has one: iterating `String.UTF8View`
    /// costs more than the check itself).
    private static func isValidIdentifier<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Bool {
        var first = true
        for byte in bytes {
            let letter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            if first {
                guard letter else { return false }
                first = false
                continue
            }
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || digit || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else { return false }
        }
        return !first
    }

    /// Dot-joined `[a-z][a-z0-9_]*` segments (`session.start`).
    /// Checked byte by byte: a valid name is ASCII, and any other byte makes its segment invalid however the text is
    /// split, so this answers as splitting the characters at dots and checking each segment.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { isValid(bytes: $0) } ?? isValid(bytes: text.utf8)
    }

    /// `isValid` of the text's UTF-8 bytes.
    private static func isValid<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Bool {
        var atSegmentStart = true
        for byte in bytes {
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
