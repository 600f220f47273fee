import EscalationCore
import Foundation
import Testing

/// `JSONWriter.string` appends the runs that need no escape whole: the same bytes as the byte-by-byte writer it
/// replaced (kept here as the oracle) and as Foundation's encoder, on random strings full of what JSON escapes.
@Suite struct JSONWriterStringTests {
    /// The writer's string as it was: every byte appended on its own, escaped where JSON needs it.
    static func oracle(_ text: String, escapesSlashes: Bool) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "/") where escapesSlashes: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "/")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00...0x1F: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    /// Pieces that JSON escapes or that are more than one byte in UTF-8, among plain text.
    static let pieces: [String] = [
        "a", "Z", "0", " ", "web-01", "\"", "\\", "/", "//", "\n", "\r\n", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
        "é", "e\u{301}", "中文", "🚨", "\u{2028}", "\u{FEFF}", "<>&'", "https://example.com/v1/incidents/x?y=1",
    ]

    /// Up to 12 pieces; with `asciiOnly`, only the pieces that are ASCII (keys: their order is then the same by
    /// bytes and by characters, so the test does not depend on how the encoder sorts other keys).
    static func randomString(_ random: inout SplitMix64, asciiOnly: Bool = false) -> String {
        let choices = asciiOnly ? pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } } : pieces
        var text = ""
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            text += choices[Int.random(in: 0..<choices.count, using: &random)]
        }
        return text
    }

    @Test func sameBytesAsTheByteByByteWriterAndTheEncoder() throws {
        var random = SplitMix64(seed: 0x15_0006)
        let encoder = JSONEncoder()
        let noSlashes = JSONEncoder()
        noSlashes.outputFormatting = [.withoutEscapingSlashes]
        for _ in 0..<5_000 {
            let text = Self.randomString(&random)
            for escapesSlashes in [true, false] {
                var writer = JSONWriter(.compact, escapesSlashes: escapesSlashes)
                writer.string(text)
                #expect(writer.bytes == Self.oracle(text, escapesSlashes: escapesSlashes), "\(text.debugDescription)")
                let encoded = try (escapesSlashes ? encoder : noSlashes).encode(text)
                #expect(writer.bytes == Array(encoded), "\(text.debugDescription)")
            }
        }
    }

    @Test func stringsWithinAnObjectAsTheEncoderWritesThem() throws {
        var random = SplitMix64(seed: 0x15_0007)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        for _ in 0..<1_000 {
            var values: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) { values[Self.randomString(&random, asciiOnly: true)] = Self.randomString(&random) }
            var writer = JSONWriter(.pretty, escapesSlashes: true)
            writer.beginObject()
            writer.key("fields")
            writer.map(values)
            writer.key("title")
            writer.optional(values.keys.sorted().first)
            writer.endObject()
            struct Shape: Encodable {
                var fields: [String: String]
                var title: String?
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(fields, forKey: .fields)
                    try container.encode(title, forKey: .title)
                }
                enum Key: String, CodingKey { case fields, title }
            }
            let expected = try encoder.encode(Shape(fields: values, title: values.keys.sorted().first))
            #expect(writer.bytes == Array(expected), "\(values)")
        }
    }
}
