/// Writes JSON byte for byte as `JSONResponse.make`'s encoder does (`JSONEncoder` with `.sortedKeys`,
/// `.prettyPrinted` and `.withoutEscapingSlashes`): two-space indent, `"key" : value`, keys of a map sorted by their
/// UTF-8 bytes, an empty container as its brackets around an empty line, and only `"`, `\`, and control characters
/// escaped. For responses on the hot path (a new incident), where the encoder's generic pass cost more than the
/// rest of building the response. Members of an object are written in the order given: callers give them sorted.
struct PrettyJSONWriter {
    /// The JSON so far.
    private(set) var bytes: [UInt8] = []
    /// Per open container: whether it has a member or element yet.
    private var started: [Bool] = []

    /// An empty writer.
    init() { bytes.reserveCapacity(1_024) }

    /// Opens an object (`{`).
    mutating func beginObject() { open(UInt8(ascii: "{")) }

    /// Closes the innermost object (`}`).
    mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Starts a member of the innermost object: the separator, the indent, the key and ` : `.
    mutating func key(_ key: String) {
        separate()
        string(key)
        bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    /// A string value.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00...0x1F:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string value, or `null`.
    mutating func optional(_ text: String?) {
        if let text { string(text) } else { bytes.append(contentsOf: Array("null".utf8)) }
    }

    /// An array of strings.
    mutating func strings(_ values: [String]) {
        open(UInt8(ascii: "["))
        for value in values {
            separate()
            string(value)
        }
        close(UInt8(ascii: "]"))
    }

    /// An object of strings, its keys sorted by their UTF-8 bytes (as the encoder sorts them).
    mutating func map(_ values: [String: String]) {
        beginObject()
        for (key, value) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            self.key(key)
            string(value)
        }
        endObject()
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        bytes.append(0x0A)
        started.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        started.removeLast()
        bytes.append(0x0A)
        indent()
        bytes.append(bracket)
    }

    /// Before a member or element: `,` and a line break after the previous one, then the indent.
    private mutating func separate() {
        if started.last == true {
            bytes.append(UInt8(ascii: ","))
            bytes.append(0x0A)
        }
        if !started.isEmpty { started[started.count - 1] = true }
        indent()
    }

    private mutating func indent() {
        for _ in 0..<started.count { bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
    }
}
