import Foundation

/// Conversions between instants and local wall-clock time in a timezone (DST-aware, via the system tz database).
public enum ZonedTime {
    /// UTC.
    public static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        return calendar
    }

    /// The zone with this IANA name, or nil.
    public static func zone(_ identifier: String) -> TimeZone? { TimeZone(identifier: identifier) }

    static func offset(_ zone: TimeZone, at seconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Local date, time (minutes), second and weekday of an instant in a zone.
    public static func local(_ instant: Instant, in zone: TimeZone) -> (date: LocalDate, minutes: Int, second: Int, weekday: Weekday) {
        let local = instant.seconds + Int64(offset(zone, at: instant.seconds))
        let day = Int((local >= 0 ? local : local - 86_399) / 86_400)
        let secondOfDay = Int(local - Int64(day) * 86_400)
        let date = LocalDate(dayNumber: day)
        return (date, secondOfDay / 60, secondOfDay % 60, date.weekday)
    }

    /// The instant of a local date and minute-of-day in a zone. In a DST gap the wall time does not exist and the
    /// instant of the jump is taken (02:30 on a 02:00 → 03:00 night is 03:00); in an overlap the earlier instant.
    /// `minutes` may be 1440 (the next midnight).
    public static func instant(_ date: LocalDate, minutes: Int, in zone: TimeZone) -> Instant {
        let wall = Int64(date.dayNumber) * 86_400 + Int64(minutes) * 60
        // Zone transitions are months apart, so within ±14 h there is at most one.
        let before = offset(zone, at: wall - 50_400)
        let after = offset(zone, at: wall + 50_400)
        let first = wall - Int64(before)
        let second = wall - Int64(after)
        let firstValid = offset(zone, at: first) == before
        let secondValid = offset(zone, at: second) == after
        switch (firstValid, secondValid) {
        case (true, true): return Instant(seconds: min(first, second))
        case (false, true): return Instant(seconds: second)
        case (true, false): return Instant(seconds: first)
        case (false, false):
            // In a gap: the jump itself, the first instant whose offset is `after` (it lies in (second, first]).
            // Taking `first` instead would move 02:30 past 03:00 on a 02:00 → 03:00 night (not monotonic).
            var low = second
            var high = first
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if offset(zone, at: middle) == after { high = middle } else { low = middle }
            }
            return Instant(seconds: high)
        }
    }

    /// The instant of a policy-written local date-time: its explicit offset if any, else the zone.
    public static func instant(_ local: LocalDateTime, in zone: TimeZone) -> Instant {
        if let offset = local.utcOffsetSeconds {
            // UTC's offset is 0 at every instant: its midnight is the day number's, without asking the zone.
            let utcMidnight = Instant(seconds: Int64(local.date.dayNumber) * 86_400)
            return utcMidnight.adding(seconds: local.time.minutes * 60 - offset)
        }
        return instant(local.date, minutes: local.time.minutes, in: zone)
    }

    /// The date after `date`.
    public static func nextDay(_ date: LocalDate) -> LocalDate {
        if date.day < LocalDate.daysIn(month: date.month, year: date.year) {
            return LocalDate(year: date.year, month: date.month, day: date.day + 1)
        }
        if date.month < 12 { return LocalDate(year: date.year, month: date.month + 1, day: 1) }
        return LocalDate(year: date.year + 1, month: 1, day: 1)
    }

    /// `2026-11-22T09:00:00-06:00` (or `Z` in UTC).
    public static func iso8601(_ instant: Instant, in zone: TimeZone) -> String {
        let parts = local(instant, in: zone)
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
        let suffix: String
        if offset == 0 {
            suffix = "Z"
        } else {
            suffix = (offset < 0 ? "-" : "+") + (abs(offset) / 3_600).digits(2) + ":" + (abs(offset) % 3_600 / 60).digits(2)
        }
        return parts.date.description + "T" + (parts.minutes / 60).digits(2) + ":" + (parts.minutes % 60).digits(2) + ":" + parts.second.digits(2) + suffix
    }

    /// The zone's short name at a date: `CST`, `CDT`, `UTC`, else an offset like `GMT+8`. The same on every
    /// platform (`TimeZone.abbreviation(for:)` gives `GMT-6` for Chicago on Linux but `CST` on macOS).
    static func abbreviation(_ zone: TimeZone, at date: Date) -> String {
        if zone.identifier == "UTC" { return "UTC" }
        let daylight = zone.isDaylightSavingTime(for: date)
        return ZoneNameCache.shared.name("\(zone.identifier) \(daylight) \(zone.secondsFromGMT(for: date))") {
            let style: NSTimeZone.NameStyle = daylight ? .shortDaylightSaving : .shortStandard
            return zone.localizedName(for: style, locale: Locale(identifier: "en_US")) ?? zone.abbreviation(for: date) ?? zone.identifier
        }
    }

    /// `Sat 2026-11-21 02:00 CST`: for timelines.
    public static func display(_ instant: Instant, in zone: TimeZone) -> String {
        let parts = local(instant, in: zone)
        let date = Date(timeIntervalSince1970: TimeInterval(instant.seconds))
        let abbreviation = Self.abbreviation(zone, at: date)
        let name = parts.weekday.rawValue.prefix(1).uppercased() + parts.weekday.rawValue.dropFirst()
        return name + " " + parts.date.description + " " + (parts.minutes / 60).digits(2) + ":" + (parts.minutes % 60).digits(2) + " " + abbreviation
    }
}
