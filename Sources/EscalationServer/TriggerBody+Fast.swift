extension TriggerBody {
    /// The body read without `JSONDecoder` when it is the plain shape every alert source sends: one object of the
    /// known keys, each once, strings of printable ASCII without escapes, and `fields` an object of such strings. Nil
    /// for anything else (unknown keys, numbers, escapes, non-ASCII, bad JSON), which the decoder then reads, so what
    /// is accepted and every error is unchanged. `TriggerBodyFastTests` pins it to the decoder.
    static func fast(_ bytes: UnsafeRawBufferPointer) -> TriggerBody? {
        var reader = Reader(bytes: bytes)
        var body = TriggerBody()
        var seen: Set<String> = []
        guard reader.skip(UInt8(ascii: "{")) else { return nil }
        if !reader.skip(UInt8(ascii: "}")) {
            repeat {
                guard let key = reader.string(), seen.insert(key).inserted, reader.skip(UInt8(ascii: ":")) else { return nil }
                if key == "fields" {
                    guard let fields = reader.stringObject() else { return nil }
                    body.fields = fields.mapValues { .string($0) }
                    continue
                }
                guard let value = reader.string() else { return nil }
                switch key {
                case "organisation": body.organisation = value
                case "policy": body.policy = value
                case "title": body.title = value
                case "dedup_key": body.dedupKey = value
                default: return nil
                }
            } while reader.skip(UInt8(ascii: ","))
            guard reader.skip(UInt8(ascii: "}")) else { return nil }
        }
        reader.whitespace()
        return reader.atEnd ? body : nil
    }

    /// A cursor over the body's bytes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var atEnd: Bool { index == bytes.count }

        /// Skips white space, then `byte` if it is next.
        mutating func skip(_ byte: UInt8) -> Bool {
            whitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func whitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// A string of printable ASCII without escapes, after white space; nil for anything else.
        mutating func string() -> String? {
            guard skip(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
                }
                guard byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        /// An object of such strings, each key once.
        mutating func stringObject() -> [String: String]? {
            var values: [String: String] = [:]
            guard skip(UInt8(ascii: "{")) else { return nil }
            if skip(UInt8(ascii: "}")) { return values }
            repeat {
                guard let key = string(), values[key] == nil, skip(UInt8(ascii: ":")), let value = string() else { return nil }
                values[key] = value
            } while skip(UInt8(ascii: ","))
            return skip(UInt8(ascii: "}")) ? values : nil
        }
    }
}
