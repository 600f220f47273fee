import EscalationGraph
import EscalationCore
import Foundation

/// A window `[start, end)` in which a policy reaches nobody, with the reasons, shown in the organisation's zone.
public struct CoverageWindow: Sendable, Hashable, Encodable {
    /// The window.
    public var span: TimeSpan
    /// Why nobody is reached (distinct reasons over the window, in order).
    public var reasons: [String]
    /// Start, ISO 8601 in the organisation's zone.
    public var start: String
    /// End (exclusive), ISO 8601 in the organisation's zone.
    public var end: String
    /// Start for people: `Fri 2026-03-06 17:00 CST`.
    public var startDisplay: String
    /// End for people.
    public var endDisplay: String

    /// Creates a window, formatting its edges in `zone`.
    public init(span: TimeSpan, reasons: [String], zone: TimeZone) {
        self.span = span
        self.reasons = reasons
        start = ZonedTime.iso8601(span.start, in: zone)
        end = ZonedTime.iso8601(span.end, in: zone)
        startDisplay = ZonedTime.display(span.start, in: zone)
        endDisplay = ZonedTime.display(span.end, in: zone)
    }

    /// The length: `3d 15h`, `9h`, `2h 30m`, `45m`.
    public var duration: String { Self.duration(span.seconds) }

    /// Formats seconds as days, hours, minutes (and seconds when not whole minutes): `3d 15h`.
    public static func duration(_ seconds: Int) -> String {
        guard seconds > 0 else { return "0m" }
        let parts = [(seconds / 86_400, "d"), (seconds % 86_400 / 3_600, "h"), (seconds % 3_600 / 60, "m"), (seconds % 60, "s")]
        return parts.filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case start, end, startDisplay, endDisplay, seconds, duration, reasons
    }

    /// Encodes the edges as ISO 8601 and display strings, the length and the reasons.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(startDisplay, forKey: .startDisplay)
        try container.encode(endDisplay, forKey: .endDisplay)
        try container.encode(span.seconds, forKey: .seconds)
        try container.encode(duration, forKey: .duration)
        try container.encode(reasons, forKey: .reasons)
    }
}
