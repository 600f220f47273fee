/// Writes compact JSON byte for byte as `JSONEncoder` with `.sortedKeys` does: no spaces, keys of a map sorted by
/// their UTF-8 bytes, only `"`, `\`, `/` and control characters escaped. For the JSON of the hot path's commit (a
/// trigger event and the notification it queues), written once per new incident. Members of an object are written
/// in the order given: callers give them sorted. (The file plugin has its own copy: plugins build against the channel
/// API only.)
struct CompactJSONWriter {
    /// The JSON so far.
    private(set) var bytes: [UInt8] = []
    /// Per open container: whether it has a member or element yet.
    private var started: [Bool] = []

    /// An empty writer.
    init() { bytes.reserveCapacity(1_024) }

    /// Opens an object.
    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        started.append(false)
    }

    /// Closes the innermost object.
    mutating func endObject() {
        started.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Starts a member of the innermost object: the separator, the key and `:`.
    mutating func key(_ key: String) {
        separate()
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A string value.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "/"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00...0x1F:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string value, or `null`.
    mutating func optional(_ text: String?) {
        if let text { string(text) } else { bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")]) }
    }

    /// An array of strings.
    mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
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

    /// Before a member: `,` after the previous one.
    private mutating func separate() {
        if started.last == true { bytes.append(UInt8(ascii: ",")) }
        if !started.isEmpty { started[started.count - 1] = true }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
