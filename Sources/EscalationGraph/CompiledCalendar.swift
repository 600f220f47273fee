import EscalationCore
import Foundation

/// Open hours and holidays in a zone, with exact interval arithmetic.
public struct CompiledCalendar: Codable, Sendable, Hashable {
    /// Weekly open interval in minutes after local midnight.
    public struct Hours: Codable, Sendable, Hashable {
        /// Days (`mon` … `sun`).
        public var days: [Weekday]
        /// Opening minute.
        public var from: Int
        /// Closing minute (≤ 1440).
        public var to: Int

        /// Weekly hours.
        public init(days: [Weekday], from: Int, to: Int) {
            self.days = days
            self.from = from
            self.to = to
        }
    }

    /// Id.
    public var id: String
    /// IANA zone.
    public var timezone: String
    /// Weekly hours.
    public var hours: [Hours]
    /// Closed dates.
    public var holidays: [LocalDate]

    /// Creates a value from its parts.
    public init(id: String, timezone: String, hours: [Hours], holidays: [LocalDate]) {
        self.id = id
        self.timezone = timezone
        self.hours = hours
        self.holidays = holidays
    }

    var zone: TimeZone { ZonedTime.zone(timezone) ?? ZonedTime.utc }

    /// Whether the calendar is open at an instant: exactly when an open span of `openSpans` holds it.
    public func isOpen(at instant: Instant) -> Bool {
        let day = ZonedTime.local(instant, in: zone).date
        return [day.adding(days: -1), day].contains { spans(on: $0).contains { $0.contains(instant) } }
    }

    /// The open spans of one local day, merged (none on a holiday). A span ends at the latest at the next midnight.
    public func spans(on day: LocalDate) -> [TimeSpan] {
        guard !holidays.contains(day) else { return [] }
        let zone = self.zone
        return TimeSpan.merge(
            hours.filter { $0.days.contains(day.weekday) && $0.from < $0.to }.map {
                TimeSpan(start: ZonedTime.instant(day, minutes: $0.from, in: zone), end: ZonedTime.instant(day, minutes: $0.to, in: zone))
            })
    }

    /// The open spans within `[from, to)`, merged and clipped.
    public func openSpans(from: Instant, to: Instant) -> [TimeSpan] {
        guard from < to else { return [] }
        let zone = self.zone
        let first = ZonedTime.local(from, in: zone).date.adding(days: -1)
        let last = ZonedTime.local(to, in: zone).date.adding(days: 1)
        var result: [TimeSpan] = []
        var day = first
        while day <= last {
            for span in spans(on: day) where span.end > from && span.start < to {
                result.append(TimeSpan(start: max(span.start, from), end: min(span.end, to)))
            }
            day = day.adding(days: 1)
        }
        return TimeSpan.merge(result)
    }

    /// The first `count` open days (days with open hours) from `day` on, including it; nil when there are fewer
    /// within two years.
    func openDays(from day: LocalDate, count: Int) -> [LocalDate]? {
        var result: [LocalDate] = []
        var cursor = day
        for _ in 0..<(2 * 366) where result.count < count {
            if !spans(on: cursor).isEmpty { result.append(cursor) }
            cursor = cursor.adding(days: 1)
        }
        return result.count == count ? result : nil
    }

    /// The instant a business duration started at `start` ends. Open seconds are consumed across open spans.
    /// `N business days`: inside open hours, the same time of day N open days later (clamped to that day's hours);
    /// outside, the close of the Nth open day counting the day of the next opening as the first. Open days are
    /// counted per local day, so hours that run to midnight or round the clock count each day. Nil when the
    /// calendar never opens within two years.
    public func adding(businessDays: Int, seconds: Int, to start: Instant) -> Instant? {
        var cursor = start
        if businessDays > 0 {
            let zone = self.zone
            let local = ZonedTime.local(start, in: zone)
            let today = spans(on: local.date)
            if today.contains(where: { $0.contains(start) }) {
                // Inside open hours: the same time of day on the Nth open day after today.
                guard let target = openDays(from: local.date.adding(days: 1), count: businessDays)?.last else { return nil }
                let hours = spans(on: target)
                let candidate = ZonedTime.instant(target, minutes: local.minutes, in: zone).adding(seconds: local.second)
                if hours.contains(where: { $0.contains(candidate) }) {
                    cursor = candidate
                } else if let close = hours.last(where: { $0.start <= candidate })?.end ?? hours.first?.start {
                    cursor = close
                } else {
                    return nil
                }
            } else {
                // Outside open hours: the close of the (N-1)th open day after the day of the next opening.
                let opensToday = today.contains { $0.start > start }
                let first = opensToday ? local.date : local.date.adding(days: 1)
                guard let target = openDays(from: first, count: businessDays)?.last, let close = spans(on: target).last?.end
                else { return nil }
                cursor = close
            }
        }
        guard seconds > 0 else { return cursor }
        var remaining = seconds
        var windowStart = cursor
        for _ in 0..<104 {
            let windowEnd = windowStart.adding(seconds: 7 * 86_400)
            for span in openSpans(from: windowStart, to: windowEnd) {
                if span.seconds >= remaining { return span.start.adding(seconds: remaining) }
                remaining -= span.seconds
            }
            windowStart = windowEnd
        }
        return nil
    }
}
