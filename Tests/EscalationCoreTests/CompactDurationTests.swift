import Testing

@testable import EscalationCore

/// `PolicyDuration.parse` reads compact durations (`1h30m`) from their bytes and leaves any other text to
/// `parseWritten`, the reading it had before. This pins `parse` against `parseWritten` (the oracle) on chosen texts
/// and 20,000 random ones: the same duration or the same message, and `compactSeconds` answering only where
/// `parseWritten` succeeds.
@Suite struct CompactDurationTests {
    static func same(_ text: String) -> Bool {
        let fast = PolicyDuration.parse(text)
        let written = PolicyDuration.parseWritten(text)
        if let seconds = PolicyDuration.compactSeconds(text), (try? written.get()) != PolicyDuration(seconds: seconds) { return false }
        switch (fast, written) {
        case (.success(let a), .success(let b)): return a == b
        case (.failure(let a), .failure(let b)): return a == b
        default: return false
        }
    }

    @Test func agreesWithTheWrittenReadingOnChosenTexts() {
        let chosen = [
            "", " ", "0s", "30s", "15m", "1h30m", "1d", "1w", "1w2d3h4m5s", "1m1h", "1h1h", "1hm", "h", "1", "15", "01m", "0m", "1.5h",
            " 15m", "15m ", "15 m", "1 business day", "2 business hours", "15mins", "1H", "999999999999m", "9999999999999m",
            "1h 30m", "-5m", "+5m", "5m\t", "1d1d", "5s5s", "１５m", "15ｍ", "m5", "5mh", "1w1s",
        ]
        for text in chosen { #expect(Self.same(text), "\(text.debugDescription)") }
        #expect(PolicyDuration.compactSeconds("1h30m") == 5_400)
        #expect(PolicyDuration.compactSeconds("15 m") == nil)
    }

    @Test func agreesWithTheWrittenReadingOnRandomTexts() {
        var rng = SplitMix64(seed: 1_515)
        let pieces = ["0", "1", "5", "9", "30", "15", "w", "d", "h", "m", "s", "x", " ", "\t", ".", "min", "hours", "business", "é", "7"]
        // Half of the texts from digits and unit letters only, so that many take the fast path.
        let compactPieces = ["0", "1", "5", "9", "30", "15", "w", "d", "h", "m", "s", "7"]
        var compact = 0
        for round in 0..<20_000 {
            let pool = round % 2 == 0 ? compactPieces : pieces
            let length = Int(rng.next() % 7)
            let text = (0..<length).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }.joined()
            #expect(Self.same(text), "\(text.debugDescription)")
            if PolicyDuration.compactSeconds(text) != nil { compact += 1 }
        }
        // Enough of the random texts take the fast path for the comparison to mean something.
        #expect(compact > 1_000)
    }
}
