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

    /// ISO 8601 in UTC, e.g. `2026-11-22T09:00:00Z`.
    public var description: String { ZonedTime.iso8601(self, in: ZonedTime.utc) }

    /// Parses ISO 8601 with an offset or `Z` (`2026-11-22T09:00:00Z`, `2026-11-22T09:00-06:00`),
    /// or a local `YYYY-MM-DDTHH:MM` read in `zone`.
    public static func parse(_ text: String, zone: TimeZone) -> Instant? {
        guard let local = LocalDateTime.parse(text) else { return nil }
        return ZonedTime.instant(local, in: zone)
    }
}
