import EscalationCore
import Foundation
import Testing

/// `Instant.description` writes 1970–9999 without asking the zone: the same text as `ZonedTime.iso8601` in UTC,
/// which it replaced (and which still writes every other instant).
@Suite struct InstantDescriptionTests {
    @Test func sameTextAsTheZonesWayOnRandomAndEdgeInstants() {
        var random = SplitMix64(seed: 0x15_0602)
        var instants: [Int64] = [
            0, 59, 60, 3_599, 3_600, 86_399, 86_400, 951_782_400, 951_868_799, 951_868_800, 4_107_542_399, 4_107_542_400,
            1_795_000_000, 253_402_300_799, 253_402_300_800, 253_402_300_801, -1, -86_400, -86_401, -62_135_596_800,
        ]
        for _ in 0..<20_000 { instants.append(Int64.random(in: 0..<253_402_300_800, using: &random)) }
        // Near the ends of the fast path and around midnights.
        for _ in 0..<2_000 {
            let day = Int64.random(in: 0..<2_932_897, using: &random) * 86_400
            instants.append(day + Int64.random(in: -2...2, using: &random))
        }
        for seconds in instants {
            let instant = Instant(seconds: seconds)
            #expect(instant.description == ZonedTime.iso8601(instant, in: ZonedTime.utc), "\(seconds)")
        }
        #expect(Instant(seconds: 1_795_000_000).description == "2026-11-18T11:06:40Z")
        #expect(Instant(seconds: 253_402_300_799).description == "9999-12-31T23:59:59Z")
    }
}
