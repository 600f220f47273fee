import EscalationCore
import Foundation
import Testing

@testable import EscalationEngine
@testable import EscalationExecutor

/// The trigger event and the notification the committer writes by hand must be byte for byte the encoder's (the
/// served loop and recovery decode the outbox's effects; the log keeps the event).
@Suite("Committer JSON written by hand")
struct CommitterJSONTests {
    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func text(_ generator: inout some RandomNumberGenerator) -> String {
        let pieces = [
            "a", "B", "z", "_", "0", "10", "9", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "日本",
            "😀", "\u{FF21}", " ", "escalate-link:acknowledge:acme-1:alice!", "_0",
        ]
        return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func optional(_ generator: inout some RandomNumberGenerator) -> String? {
        Bool.random(using: &generator) ? nil : text(&generator)
    }

    @Test("random triggers: the hand-written JSON is the encoder's and decodes back; other events are left to the encoder")
    func events() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var fields: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) { fields[Self.text(&generator)] = Self.text(&generator) }
            let event = EngineEvent.trigger(
                id: Self.text(&generator), policy: Self.text(&generator), title: Self.text(&generator), fields: fields, dedupKey: Self.optional(&generator))
            let written = try #require(Committer.handWritten(event))
            let expected = try Self.encoded(event)
            #expect(written == expected)
            if written != expected { return }
            #expect(try JSONDecoder().decode(EngineEvent.self, from: Data(written.utf8)) == event)
        }
        #expect(Committer.handWritten(EngineEvent.acknowledge(by: "alice")) == nil)
    }

    @Test("random notifications: the hand-written JSON is the encoder's and decodes back; other effects are left to the encoder")
    func effects() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let notification = Effect.Notification(
                contact: Self.text(&generator), name: Self.text(&generator), channel: Self.text(&generator), address: Self.optional(&generator),
                cc: (0..<Int.random(in: 0...3, using: &generator)).map { _ in Self.text(&generator) },
                message: RenderedMessage(template: Self.optional(&generator), subject: Self.optional(&generator), body: Self.text(&generator)),
                idempotencyKey: Self.text(&generator), notificationKey: Self.text(&generator), origin: Self.text(&generator),
                reason: Self.text(&generator))
            let effect = Effect.notify(notification)
            let written = try #require(Committer.handWritten(effect))
            let expected = try Self.encoded(effect)
            #expect(written == expected)
            if written != expected { return }
            #expect(try JSONDecoder().decode(Effect.self, from: Data(written.utf8)) == effect)
        }
        #expect(Committer.handWritten(Effect.record("x")) == nil)
    }
}
