import EscalationCore
import Foundation
import Testing

/// Wall-time formatting without `String(format:)`: the same text the format strings gave.
@Suite struct ZonedTimeFormatTests {
    let chicago = TimeZone(identifier: "America/Chicago") ?? .gmt

    @Test func displayAndISOInAZoneWithDaylightSaving() throws {
        let winter = try #require(Instant.parse("2026-11-21T02:05Z", zone: ZonedTime.utc)).adding(seconds: 9)
        #expect(ZonedTime.display(winter, in: chicago) == "Fri 2026-11-20 20:05 CST")
        #expect(ZonedTime.iso8601(winter, in: chicago) == "2026-11-20T20:05:09-06:00")
        let summer = try #require(Instant.parse("2026-07-04T15:00Z", zone: ZonedTime.utc))
        // Asked twice: the second answer comes from the cache of zone names.
        #expect(ZonedTime.display(summer, in: chicago) == "Sat 2026-07-04 10:00 CDT")
        #expect(ZonedTime.display(summer, in: chicago) == "Sat 2026-07-04 10:00 CDT")
        #expect(ZonedTime.display(winter, in: chicago) == "Fri 2026-11-20 20:05 CST")
        #expect(ZonedTime.iso8601(summer, in: ZonedTime.utc) == "2026-07-04T15:00:00Z")
    }

    @Test func halfHourOffsetsAndPadding() throws {
        let india = try #require(TimeZone(identifier: "Asia/Kolkata"))
        #expect(LocalDate(year: 987, month: 1, day: 2).description == "0987-01-02")
        let now = try #require(Instant.parse("2026-01-02T00:00Z", zone: ZonedTime.utc))
        #expect(ZonedTime.iso8601(now, in: india) == "2026-01-02T05:30:00+05:30")
        #expect(TimeOfDay(minutes: 65).description == "01:05")
        #expect(LocalDate(year: 12_026, month: 3, day: 4).description == "12026-03-04")
    }
}
