import EscalationCompiler
import EscalationCore
import EscalationGraph
import EscalationPolicy
import Foundation
import Testing

/// Business durations on calendars: `adding(businessDays:seconds:to:)`, with DST, holidays and round-the-clock hours,
/// and `isOpen` agreeing with `openSpans` everywhere (the coverage analysis relies on it).
@Suite("Calendar business time")
struct CalendarBusinessDaysTests {
    static let organisation = """
        organisation:
          id: acme
          name: Acme
          timezone: America/Chicago
          calendars:
            support:
              hours:
                - { days: [mon, tue, wed, thu, fri], from: "08:00", to: "17:00" }
              holidays: [2026-12-25]
            weekdays:
              hours:
                - { days: [mon, tue, wed, thu, fri], from: "00:00", to: "24:00" }
            night:
              hours:
                - { days: [sun], from: "02:30", to: "03:30" }
        """

    static let chicago = ZonedTime.zone("America/Chicago") ?? ZonedTime.utc

    static func calendar(_ id: String) throws -> CompiledCalendar {
        let loaded = PolicyLoader().load(files: [(path: "acme.yaml", text: organisation)])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        return try #require(GraphCompiler().compile(loaded.organisation).calendar(id))
    }

    static func adding(_ days: Int, seconds: Int = 0, to start: String, on id: String = "support") throws -> String {
        let start = try #require(Instant.parse(start, zone: chicago))
        let end = try #require(try calendar(id).adding(businessDays: days, seconds: seconds, to: start))
        return ZonedTime.iso8601(end, in: chicago)
    }

    @Test("Friday 18:00 + 1 business day is Monday 17:00 (outside hours: the close of the next open day), across DST")
    func fridayEvening() throws {
        #expect(try Self.adding(1, to: "2026-03-06T18:00") == "2026-03-09T17:00:00-05:00")
    }

    @Test("Wednesday 10:00 + 1 business day is Thursday 10:00 (inside hours: the same time next open day)")
    func wednesdayMorning() throws {
        #expect(try Self.adding(1, to: "2026-03-04T10:00") == "2026-03-05T10:00:00-06:00")
        #expect(try Self.adding(2, to: "2026-03-04T10:00") == "2026-03-06T10:00:00-06:00")
        #expect(try Self.adding(3, to: "2026-03-04T10:00") == "2026-03-09T10:00:00-05:00")
    }

    @Test("a holiday is not a business day")
    func holiday() throws {
        #expect(try Self.adding(1, to: "2026-12-24T10:00") == "2026-12-28T10:00:00-06:00")
        #expect(try Self.adding(1, to: "2026-12-24T18:00") == "2026-12-28T17:00:00-06:00")
        #expect(try Self.adding(1, to: "2026-12-25T09:00") == "2026-12-28T17:00:00-06:00")
        #expect(try Self.adding(1, to: "2026-12-23T07:00") == "2026-12-23T17:00:00-06:00")
    }

    @Test("business hours consume open seconds only")
    func businessHours() throws {
        #expect(try Self.adding(0, seconds: 7_200, to: "2026-03-06T16:30") == "2026-03-09T09:30:00-05:00")
        #expect(try Self.adding(0, seconds: 1_800, to: "2026-03-07T12:00") == "2026-03-09T08:30:00-05:00")
    }

    @Test("round-the-clock weekdays count one business day per day, not one per merged span")
    func roundTheClock() throws {
        #expect(try Self.adding(1, to: "2026-03-02T10:00", on: "weekdays") == "2026-03-03T10:00:00-06:00")
        #expect(try Self.adding(1, to: "2026-03-06T10:00", on: "weekdays") == "2026-03-09T10:00:00-05:00")
        #expect(try Self.adding(2, to: "2026-03-07T10:00", on: "weekdays") == "2026-03-11T00:00:00-05:00")
    }

    @Test("a wall time inside the DST gap is the instant of the jump, so the day's hours stay in order")
    func dstGap() throws {
        let open = ZonedTime.instant(LocalDate(year: 2026, month: 3, day: 8), minutes: 150, in: Self.chicago)
        #expect(ZonedTime.iso8601(open, in: Self.chicago) == "2026-03-08T03:00:00-05:00")
        let spans = try Self.calendar("night").spans(on: LocalDate(year: 2026, month: 3, day: 8))
        #expect(spans.map { "\(ZonedTime.iso8601($0.start, in: Self.chicago)) \($0.seconds)" } == ["2026-03-08T03:00:00-05:00 1800"])
        // The overlap: 01:30 on 2026-11-01 happens twice; the earlier is taken.
        let overlap = ZonedTime.instant(LocalDate(year: 2026, month: 11, day: 1), minutes: 90, in: Self.chicago)
        #expect(ZonedTime.iso8601(overlap, in: Self.chicago) == "2026-11-01T01:30:00-05:00")
    }

    @Test("isOpen agrees with openSpans at every quarter hour around both DST changes", arguments: ["support", "weekdays", "night"])
    func isOpenAgreesWithSpans(id: String) throws {
        let calendar = try Self.calendar(id)
        for (from, to) in [("2026-03-05T00:00", "2026-03-12T00:00"), ("2026-10-29T00:00", "2026-11-05T00:00")] {
            let start = try #require(Instant.parse(from, zone: Self.chicago))
            let end = try #require(Instant.parse(to, zone: Self.chicago))
            let spans = calendar.openSpans(from: start, to: end)
            var instant = start
            while instant < end {
                #expect(calendar.isOpen(at: instant) == spans.contains { $0.contains(instant) }, "\(id) at \(instant)")
                instant = instant.adding(seconds: 900)
            }
        }
    }
}
