import Foundation

/// A point in time as whole seconds since 1970-01-01T00:00Z; the engine's only notion of time.
public struct Instant: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public var seconds: Int64

    /// Creates an instant from epoch seconds.
    public init(seconds: Int64) { self.seconds = seconds }

    /// Orders chronologically.
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }

    /// This instant moved by some seconds; saturates at the ends of time instead of trapping on overflow.
    public func adding(seconds delta: Int) -> Instant {
        let (sum, overflow) = seconds.addingReportingOverflow(Int64(delta))
        guard overflow else { return Instant(seconds: sum) }
        return Instant(seconds: delta > 0 ? .max : .min)
    }

    /// Seconds from `other` to this instant; saturates instead of trapping on overflow.
    public func seconds(since other: Instant) -> Int {
        let (difference, overflow) = seconds.subtractingReportingOverflow(other.seconds)
        guard overflow else { return Int(difference) }
        return other.seconds < 0 ? .max : .min
    }

    /// ISO 8601 in UTC, e.g. `2026-11-22T09:00:00Z`: what `ZonedTime.iso8601(_:in: ZonedTime.utc)` writes. From 1970
    /// to 9999 it is written straight into one buffer, without asking the zone (UTC's offset is 0 at every instant):
    /// every API answer about an incident writes two and every file sink's line one. Other instants take the zone's way.
    public var description: String {
        guard seconds >= 0, seconds < Self.year10000 else { return ZonedTime.iso8601(self, in: ZonedTime.utc) }
        let day = Int(seconds / 86_400)
        let secondOfDay = Int(seconds % 86_400)
        let date = LocalDate(dayNumber: day)
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, width: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(date.year, width: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(date.month, width: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(date.day, width: 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3_600, width: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, width: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, width: 2, at: 17)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// 10000-01-01T00:00:00Z, the first instant whose year has five digits.
    static let year10000: Int64 = 253_402_300_800

    /// Parses ISO 8601 with an offset or `Z` (`2026-11-22T09:00:00Z`, `2026-11-22T09:00-06:00`),
    /// or a local `YYYY-MM-DDTHH:MM` read in `zone`.
    public static func parse(_ text: String, zone: TimeZone) -> Instant? {
        guard let local = LocalDateTime.parse(text) else { return nil }
        return ZonedTime.instant(local, in: zone)
    }
}
