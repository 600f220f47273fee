import EscalationCore
import EscalationEngine
import EscalationStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import EscalationServer

/// The incident summary written by hand must be byte for byte what the encoder wrote (the documented responses).
@Suite("Pretty JSON without the encoder")
struct PrettyJSONTests {
    /// The encoder `JSONResponse.make` uses.
    static func encoded(_ summary: IncidentSummary) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(summary))
    }

    /// Text from pieces that exercise escaping and key order: quotes, backslashes, slashes, control characters,
    /// DEL, non-ASCII (composed and decomposed), astral characters, digits and letter case.
    static func text(_ generator: inout some RandomNumberGenerator, empty: Bool = true) -> String {
        let pieces = [
            "a", "B", "z", "_", "-", "0", "9", "10", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
            "é", "e\u{301}", "日本", "\u{2028}", "\u{FF21}", "😀", " ", "host", "escalate.reply_code",
        ]
        let count = Int.random(in: (empty ? 0 : 1)...6, using: &generator)
        return (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func optional(_ generator: inout some RandomNumberGenerator) -> String? {
        Bool.random(using: &generator) ? nil : text(&generator)
    }

    static func incident(_ generator: inout some RandomNumberGenerator) -> StoredIncident {
        var fields: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &generator) { fields[text(&generator)] = text(&generator) }
        var state = IncidentState(
            id: text(&generator, empty: false), policy: text(&generator), version: text(&generator), title: text(&generator),
            dedupKey: optional(&generator), fields: fields, triggeredAt: Instant(seconds: Int64.random(in: 0...4_000_000_000, using: &generator)))
        state.status = [.open, .acknowledged, .resolved].randomElement(using: &generator) ?? .open
        state.openScopes = (0..<Int.random(in: 0...3, using: &generator)).map { _ in text(&generator) }
        state.resolvedScopes = (0..<Int.random(in: 0...3, using: &generator)).map { _ in text(&generator) }
        state.cursor = optional(&generator)
        state.ladderEnd = optional(&generator)
        state.stage = optional(&generator)
        state.acknowledgedBy = optional(&generator)
        state.resolvedBy = optional(&generator)
        state.outcome = optional(&generator)
        state.replyCode = optional(&generator)
        let created = Instant(seconds: Int64.random(in: 0...4_000_000_000, using: &generator))
        return StoredIncident(
            id: state.id, organisation: text(&generator), state: state, createdAt: created,
            updatedAt: created.adding(seconds: Int.random(in: 0...100_000, using: &generator)))
    }

    @Test("random incidents: the hand-written summary is the encoder's bytes")
    func summaryEquivalence() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let summary = IncidentSummary(Self.incident(&generator))
            let expected = try Self.encoded(summary)
            #expect(summary.prettyJSON == expected, "\(String(decoding: expected, as: UTF8.self))")
            if summary.prettyJSON != expected { return }
        }
    }

    @Test("the response body is the encoder's bytes and a newline, with the JSON content type")
    func response() async throws {
        var generator = SystemRandomNumberGenerator()
        let summary = IncidentSummary(Self.incident(&generator))
        let fast = JSONResponse.make(.created, json: summary.prettyJSON)
        let slow = JSONResponse.make(.created, summary)
        #expect(fast.status == slow.status)
        #expect(fast.headers == slow.headers)
        let fastBody = BodyBytes()
        let slowBody = BodyBytes()
        try await fast.body.write(BodyBytes.Writer(into: fastBody))
        try await slow.body.write(BodyBytes.Writer(into: slowBody))
        #expect(fastBody.bytes == slowBody.bytes)
        #expect(fastBody.bytes.last == UInt8(ascii: "\n"))
    }
}

/// The bytes a response body writes (for comparing two bodies).
final class BodyBytes: @unchecked Sendable {
    var bytes: [UInt8] = []

    /// Appends what it is given to a `BodyBytes`.
    struct Writer: ResponseBodyWriter {
        let into: BodyBytes
        mutating func write(_ buffer: ByteBuffer) async throws { into.bytes += Array(buffer.readableBytesView) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
