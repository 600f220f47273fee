import EscalationChannel
import EscalationCore
import Foundation
import Testing

@testable import FileChannel

/// The file sink's line written by hand must be byte for byte the encoder's (other tools read the file).
@Suite("File sink record JSON")
struct DeliveryRecordJSONTests {
    static func text(_ generator: inout some RandomNumberGenerator) -> String {
        let pieces = [
            "a", "B", "z", "_", "0", "10", "9", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "日本",
            "😀", "\u{FF21}", " ", "https://x.test/v1/ack/abc.def",
        ]
        return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func optional(_ generator: inout some RandomNumberGenerator) -> String? {
        Bool.random(using: &generator) ? nil : text(&generator)
    }

    @Test("random records of every action: the hand-written line is the encoder's")
    func equivalence() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var metadata: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) { metadata[Self.text(&generator)] = Self.text(&generator) }
            let message = ChannelMessage(
                idempotencyKey: Self.text(&generator), incidentID: Self.text(&generator),
                kind: [.notify, .post, .stage, .action].randomElement(using: &generator) ?? .notify, subject: Self.optional(&generator),
                body: Self.text(&generator), template: Self.optional(&generator),
                cc: (0..<Int.random(in: 0...3, using: &generator)).map { _ in Self.text(&generator) },
                expiresAt: Bool.random(using: &generator) ? Instant(seconds: Int64.random(in: 0...4_000_000_000, using: &generator)) : nil,
                metadata: metadata)
            let receipt = Bool.random(using: &generator) ? DeliveryReceipt(externalID: Self.optional(&generator)) : nil
            let record = DeliveryRecord(
                action: ["deliver", "undo", "update", "expire"].randomElement(using: &generator) ?? "deliver", channel: Self.text(&generator),
                address: Self.optional(&generator), message: message, receipt: receipt)
            let expected = Array(try DeliveryJSON.line(record))
            #expect(record.jsonBytes == expected, "\(String(decoding: expected, as: UTF8.self))")
            if record.jsonBytes != expected { return }
        }
    }
}
