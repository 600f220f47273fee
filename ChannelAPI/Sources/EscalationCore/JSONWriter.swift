/// Writes JSON byte for byte as Foundation's `JSONEncoder` with `.sortedKeys` writes it, compact or pretty-printed,
/// with or without `.withoutEscapingSlashes`: keys of a map sorted by their UTF-8 bytes, only `"`, `\`, control
/// characters (and `/` unless told not to) escaped; pretty-printed, a two-space indent, `"key" : value`, and an empty
/// container as its brackets around an empty line. For JSON written on a hot path (a new incident's log entry and
/// queued notification, the API's answer, a sink's line), where the encoder's generic pass cost more than the rest of
/// the work. Members of an object are written in the order given: callers give them sorted.
public struct JSONWriter: Sendable {
    /// How the JSON is laid out.
    public enum Layout: Sendable {
        /// No spaces or line breaks.
        case compact
        /// As `.prettyPrinted`.
        case pretty
    }

    /// The JSON so far.
    public private(set) var bytes: [UInt8] = []
    /// Per open container: whether it has a member or element yet.
    private var started: [Bool] = []
    private let pretty: Bool
    private let escapesSlashes: Bool

    /// An empty writer: `escapesSlashes` false writes as `.withoutEscapingSlashes` does.
    public init(_ layout: Layout, escapesSlashes: Bool) {
        pretty = layout == .pretty
        self.escapesSlashes = escapesSlashes
        bytes.reserveCapacity(1_024)
    }

    /// Opens an object.
    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    /// Closes the innermost object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Starts a member of the innermost object: the separator, the key and `:` (` : ` pretty-printed).
    public mutating func key(_ key: String) {
        separate()
        string(key)
        if pretty {
            bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// A string value. The runs of bytes that need no escape (all of most strings) are appended whole, from the
    /// string's contiguous UTF-8; each byte that does is escaped as `escape(_:)` writes it.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (byte == UInt8(ascii: "/") && escapesSlashes) else {
                    continue
                }
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                escape(byte)
                start = index + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// One byte that JSON escapes: `"`, `\\`, `/` (when slashes are escaped) or a control character.
    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "/"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
        case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        default:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]])
        }
    }

    /// A string value, or `null`.
    public mutating func optional(_ text: String?) {
        if let text { string(text) } else { bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")]) }
    }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        open(UInt8(ascii: "["))
        for value in values {
            separate()
            string(value)
        }
        close(UInt8(ascii: "]"))
    }

    /// Opens an array.
    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    /// Closes the innermost array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts an element of the innermost array that is not a string (an object, a number): the separator.
    public mutating func element() { separate() }

    /// An integer value, in decimal as the encoder writes it.
    public mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    /// A Boolean value.
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    /// An object of strings, its keys sorted by their UTF-8 bytes (as the encoder sorts them).
    public mutating func map(_ values: [String: String]) {
        beginObject()
        for (key, value) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            self.key(key)
            string(value)
        }
        endObject()
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        if pretty { bytes.append(0x0A) }
        started.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        started.removeLast()
        if pretty {
            bytes.append(0x0A)
            indent()
        }
        bytes.append(bracket)
    }

    /// Before a member or element: `,` after the previous one (and, pretty-printed, a line break and the indent).
    private mutating func separate() {
        if started.last == true {
            bytes.append(UInt8(ascii: ","))
            if pretty { bytes.append(0x0A) }
        }
        if !started.isEmpty { started[started.count - 1] = true }
        if pretty { indent() }
    }

    private mutating func indent() {
        for _ in 0..<started.count { bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
