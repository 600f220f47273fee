import Foundation

/// A day of the week, as written in calendars (`mon` … `sun`).
public enum Weekday: String, Codable, Sendable, CaseIterable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Monday = 1 … Sunday = 7 (ISO 8601).
    public var isoNumber: Int { (Weekday.allCases.firstIndex(of: self) ?? 0) + 1 }

    /// Orders Monday first.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }
}

/// A time of day (`"09:00"`), in minutes after midnight; `24:00` is 1440.
public struct TimeOfDay: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// Minutes after midnight, 0 … 1440.
    public var minutes: Int

    /// Creates a time of day from minutes after midnight.
    public init(minutes: Int) { self.minutes = minutes }

    /// `HH:MM`.
    public var description: String { (minutes / 60).digits(2) + ":" + (minutes % 60).digits(2) }

    /// Parses `HH:MM` (24 h; `24:00` allowed).
    public static func parse(_ text: String) -> TimeOfDay? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0...59).contains(minutes), hours < 24 || minutes == 0
        else { return nil }
        return TimeOfDay(minutes: hours * 60 + minutes)
    }

    /// Orders by minutes.
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}

/// A calendar date (`2026-12-25`) with no zone.
public struct LocalDate: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// Year, month (1–12) and day (1–31).
    public var year: Int, month: Int, day: Int

    /// Creates a date; use `parse` to validate text.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`.
    public var description: String { year.digits(4) + "-" + month.digits(2) + "-" + day.digits(2) }

    /// Parses `YYYY-MM-DD`, rejecting days that do not exist (`2026-02-30`).
    public static func parse(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// The number of days in a month of the Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Orders chronologically.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// An instant as written in a policy: a local date and time, read in a zone unless it carries an offset.
public struct LocalDateTime: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The date.
    public var date: LocalDate
    /// The time of day.
    public var time: TimeOfDay
    /// An explicit UTC offset in seconds (`-06:00` → -21600), or nil to use the zone.
    public var utcOffsetSeconds: Int?

    /// Creates a local date-time.
    public init(date: LocalDate, time: TimeOfDay, utcOffsetSeconds: Int? = nil) {
        self.date = date
        self.time = time
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// `YYYY-MM-DDTHH:MM` plus the offset when there is one.
    public var description: String {
        var text = "\(date)T\(time)"
        if let offset = utcOffsetSeconds {
            if offset == 0 {
                text += "Z"
            } else {
                let sign = offset < 0 ? "-" : "+"
                text += sign + (abs(offset) / 3_600).digits(2) + ":" + (abs(offset) % 3_600 / 60).digits(2)
            }
        }
        return text
    }

    /// Parses `YYYY-MM-DDTHH:MM`, optionally with `:SS`, and with `Z` or `±HH:MM`.
    public static func parse(_ text: String) -> LocalDateTime? {
        if let strict = parseStrict(text) { return strict }
        return parseGeneral(text)
    }

    /// `parse` for any spelling it accepts, by splitting the text.
    static func parseGeneral(_ text: String) -> LocalDateTime? {
        let normalized = text.replacingOccurrences(of: " ", with: "T")
        let pieces = normalized.split(separator: "T", omittingEmptySubsequences: false)
        guard pieces.count == 2, let date = LocalDate.parse(String(pieces[0])) else { return nil }
        var clock = String(pieces[1])
        var offset: Int?
        if clock.hasSuffix("Z") {
            offset = 0
            clock.removeLast()
        } else if let signIndex = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: signIndex)...]
            guard let zoneTime = TimeOfDay.parse(String(zone)), zoneTime.minutes < 24 * 60 else { return nil }
            offset = zoneTime.minutes * 60 * (clock[signIndex] == "-" ? -1 : 1)
            clock = String(clock[..<signIndex])
        }
        var fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        if fields.count == 3 {
            guard fields[2].count == 2, Int(fields[2]) == 0 else { return nil }
            fields.removeLast()
        }
        guard fields.count == 2, let time = TimeOfDay.parse(fields.joined(separator: ":")), time.minutes < 1_440
        else { return nil }
        return LocalDateTime(date: date, time: time, utcOffsetSeconds: offset)
    }
}

extension LocalDateTime {
    /// The usual spelling read on its bytes: `YYYY-MM-DD`, `T` or a space, `HH:MM`, optionally `:SS`, then optionally
    /// `Z` or `±HH:MM`, every number in ASCII digits. Nil when the text is not in that shape (then `parse` reads it the
    /// general way); `.some(nil)` when it is in that shape but names no real instant. The checks are `parse`'s own.
    static func parseStrict(_ text: String) -> LocalDateTime?? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable(parseStrict) ?? nil
    }

    /// `parseStrict` on the text's UTF-8 bytes.
    private static func parseStrict(_ buffer: UnsafeBufferPointer<UInt8>) -> LocalDateTime?? {
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":"), plus = UInt8(ascii: "+")
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for index in from..<(from + count) {
                let byte = buffer[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard buffer.count >= 16, buffer.count <= 25, buffer[4] == dash, buffer[7] == dash, buffer[10] == UInt8(ascii: "T") || buffer[10] == 0x20,
            buffer[13] == colon, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hours = number(11, 2),
            let minutes = number(14, 2)
        else { return nil }
        var position = 16
        var seconds = 0
        if buffer.count >= position + 3, buffer[position] == colon {
            guard let value = number(position + 1, 2) else { return nil }
            seconds = value
            position += 3
        }
        var offset: Int?
        if buffer.count == position + 1, buffer[position] == UInt8(ascii: "Z") {
            offset = 0
            position += 1
        } else if buffer.count == position + 6, buffer[position] == plus || buffer[position] == dash, buffer[position + 3] == colon {
            guard let offsetHours = number(position + 1, 2), let offsetMinutes = number(position + 4, 2) else { return nil }
            guard offsetHours < 24, offsetMinutes <= 59 else { return .some(nil) }
            offset = (offsetHours * 60 + offsetMinutes) * 60 * (buffer[position] == dash ? -1 : 1)
            position += 6
        }
        guard position == buffer.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year), seconds == 0, hours < 24, minutes <= 59
        else { return .some(nil) }
        return .some(LocalDateTime(date: LocalDate(year: year, month: month, day: day), time: TimeOfDay(minutes: hours * 60 + minutes), utcOffsetSeconds: offset))
    }
}

extension LocalDate {
    /// Days since 1970-01-01 (proleptic Gregorian).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date with a given day number.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// This date moved by whole days.
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// The day of the week.
    public var weekday: Weekday { Weekday.allCases[((dayNumber % 7) + 7 + 3) % 7] }
}
