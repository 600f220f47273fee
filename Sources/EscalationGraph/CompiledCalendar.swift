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
    }

    /// Id.
    public var id: String
    /// IANA zone.
    public var timezone: String
    /// Weekly hours.
    public var hours: [Hours]
    /// Closed dates.
    public var holidays: [LocalDate]

    var zone: TimeZone { ZonedTime.zone(timezone) ?? ZonedTime.utc }

    /// Whether the calendar is open at an instant.
    public func isOpen(at instant: Instant) -> Bool {
        let local = ZonedTime.local(instant, in: zone)
        guard !holidays.contains(local.date) else { return false }
        return hours.contains { $0.days.contains(local.weekday) && $0.from <= local.minutes && local.minutes < $0.to }
    }

    /// The open spans within `[from, to)`, merged and clipped.
    public func openSpans(from: Instant, to: Instant) -> [TimeSpan] {
        guard from < to else { return [] }
        let zone = self.zone
        let first = ZonedTime.local(from, in: zone).date.adding(days: -1)
        let last = ZonedTime.local(to, in: zone).date.adding(days: 1)
        var spans: [TimeSpan] = []
        var day = first
        while day <= last {
            if !holidays.contains(day) {
                for entry in hours where entry.days.contains(day.weekday) {
                    let start = ZonedTime.instant(day, minutes: entry.from, in: zone)
                    let end = ZonedTime.instant(day, minutes: entry.to, in: zone)
                    spans.append(TimeSpan(start: max(start, from), end: min(end, to)))
                }
            }
            day = day.adding(days: 1)
        }
        return TimeSpan.merge(spans)
    }

    /// The instant a business duration started at `start` ends. Open seconds are consumed across open spans.
    /// `N business days`: inside open hours, the same time of day N open days later; outside, the close of the
    /// (N-1)th open day after the next opening. Nil when the calendar never opens within two years.
    public func adding(businessDays: Int, seconds: Int, to start: Instant) -> Instant? {
        var cursor = start
        if businessDays > 0 {
            let horizon = start.adding(seconds: 2 * 366 * 86_400)
            let spans = openSpans(from: start, to: horizon)
            guard let firstSpan = spans.first else { return nil }
            let local = ZonedTime.local(start, in: zone)
            var openDays: [LocalDate] = []
            for span in spans {
                let date = ZonedTime.local(span.start, in: zone).date
                if openDays.last != date { openDays.append(date) }
            }
            if firstSpan.start == start || firstSpan.contains(start), ZonedTime.local(firstSpan.start, in: zone).date == local.date,
                isOpen(at: start)
            {
                // Inside open hours: same time of day on the Nth open day after today.
                guard businessDays < openDays.count else { return nil }
                let target = openDays[businessDays]
                let daySpans = spans.filter { ZonedTime.local($0.start, in: zone).date == target }
                let candidate = ZonedTime.instant(target, minutes: local.minutes, in: zone).adding(seconds: local.second)
                if daySpans.contains(where: { $0.contains(candidate) }) {
                    cursor = candidate
                } else if let close = daySpans.last(where: { $0.start <= candidate })?.end ?? daySpans.first?.start {
                    cursor = close
                } else {
                    return nil
                }
            } else {
                // Outside open hours: the close of the (N-1)th open day from the next opening.
                guard businessDays - 1 < openDays.count else { return nil }
                let target = openDays[businessDays - 1]
                guard let close = spans.last(where: { ZonedTime.local($0.start, in: zone).date == target })?.end else { return nil }
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
