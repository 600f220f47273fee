import EscalationCore
import Testing

@testable import EscalationExecutor

/// The per-contact limit: a sliding 60-second window, counted per contact.
@Suite struct RateLimiterTests {
    let start = Instant(seconds: 1_800_000_000)

    /// Asks the limiter for each (contact, seconds after `start`) in turn; the answers.
    func answers(_ limiter: inout RateLimiter, _ asks: [(String, Int)]) -> [Bool] {
        asks.map { limiter.allow(contact: $0.0, now: start.adding(seconds: $0.1)) }
    }

    @Test func allowsTheLimitPerMinuteThenRefusesUntilTheOldestLeavesTheWindow() {
        var limiter = RateLimiter(perMinute: 3)
        let got = answers(&limiter, [("a", 0), ("a", 1), ("a", 2), ("a", 59), ("b", 59), ("a", 60), ("a", 60), ("a", 61)])
        // +59: a is at its limit, b has its own window. +60: the delivery at +0 has left the window, the one at +1 not.
        #expect(got == [true, true, true, false, true, true, false, true])
    }

    @Test func aRefusedDeliveryIsNotCounted() {
        var limiter = RateLimiter(perMinute: 1)
        let got = answers(&limiter, (0...60).map { ("a", $0) })
        #expect(got == [true] + [Bool](repeating: false, count: 59) + [true])
    }

    @Test func keepsCountingRightAcrossManyWindows() {
        // 10 per minute, one attempt every second for an hour: exactly 10 pass in each minute.
        var limiter = RateLimiter(perMinute: 10)
        let got = answers(&limiter, (0..<3_600).map { ("a", $0) })
        let perMinute = stride(from: 0, to: 3_600, by: 60).map { minute in got[minute..<(minute + 60)].filter { $0 }.count }
        #expect(perMinute == [Int](repeating: 10, count: 60))
    }

    @Test func withoutALimitEverythingPasses() {
        var limiter = RateLimiter(perMinute: Int.max)
        let got = answers(&limiter, [(String, Int)](repeating: ("a", 0), count: 10_000))
        #expect(got.allSatisfy { $0 })
    }
}
