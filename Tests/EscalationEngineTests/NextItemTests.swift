import EscalationCore
import EscalationGraph
import Foundation
import Testing

@testable import EscalationEngine

/// `deliver` moves a pending notification to its next item and reads it in one access (`movedToNextItem`) where it
/// made four writes and a read through the run's state. The list kept and the notification read must be what the
/// old writes and read gave (kept below as the oracle), on random lists with outcomes reported (failed, unanswered,
/// answered) at every position.
@Suite("A notification moved to its next item in one access")
struct NextItemTests {
    static func pending(_ rng: inout SplitMix64) -> PendingNotification {
        var pending = PendingInPlaceTests.pending(&rng, key: rng.pick(PendingInPlaceTests.keys))
        if rng.chance(50) { pending.failed = (0..<rng.int(0...2)).map { _ in rng.pick(RecipientsInPlaceTests.channelIDs) } }
        if rng.chance(50) { pending.unanswered = (0..<rng.int(0...2)).map { _ in rng.pick(RecipientsInPlaceTests.channelIDs) } }
        if rng.chance(50) { pending.answered = rng.chance(50) }
        return pending
    }

    /// The four writes and the read `deliver` made before (the oracle).
    static func oracleMove(_ list: inout [PendingNotification], at index: Int) -> PendingNotification {
        list[index].index += 1
        list[index].failed = nil
        list[index].unanswered = nil
        list[index].answered = nil
        return list[index]
    }

    @Test("the same list and notification as the four writes and the read", arguments: [31, 32] as [UInt64])
    func agreesWithTheWrites(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<5_000 {
            let list = (0..<rng.int(1...5)).map { _ in Self.pending(&rng) }
            let index = rng.int(0...(list.count - 1))
            var moved = list
            var expected = list
            let read = moved[index].movedToNextItem()
            let oracle = Self.oracleMove(&expected, at: index)
            #expect(read == oracle)
            #expect(moved == expected)
            #expect(read.index == list[index].index + 1)
        }
    }
}
