import EscalationCore
import Testing

@testable import EscalationSimulator

/// A timeline's headline is the body's first non-empty line, found without splitting the whole body.
@Suite struct TimelineHeadlineTests {
    @Test func firstLineAgreesWithSplitOnChosenBodies() {
        for body in ["", "\n", "\n\nOutage\nmore", "Outage", "a\r\nb\nc", "\r\n\nx", "x\n\r\ny", "é\u{301}\nz", "one\n"] {
            #expect(String(TimelineRecorder.firstLine(body)) == String(body.split(separator: "\n").first ?? ""), "body \(body.debugDescription)")
        }
    }

    @Test func firstLineAgreesWithSplitOnRandomBodies() {
        var generator = SplitMix64(seed: 7)
        let pieces = ["a", "\n", "\r", "\r\n", "é", "e\u{301}", " ", "\u{301}", "🚨"]
        for _ in 0..<2_000 {
            let body = (0..<Int(generator.next() % 12)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(String(TimelineRecorder.firstLine(body)) == String(body.split(separator: "\n").first ?? ""), "body \(body.debugDescription)")
        }
    }
}
