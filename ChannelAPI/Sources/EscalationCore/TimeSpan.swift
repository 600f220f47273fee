/// A half-open span of time `[start, end)`.
public struct TimeSpan: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Start (inclusive).
    public var start: Instant
    /// End (exclusive).
    public var end: Instant

    /// Creates a span.
    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    /// Whether the span holds an instant.
    public func contains(_ instant: Instant) -> Bool { start <= instant && instant < end }

    /// Length in seconds.
    public var seconds: Int { end.seconds(since: start) }

    /// `start – end`.
    public var description: String { "\(start) – \(end)" }

    /// Sorted, merged spans (touching spans join).
    public static func merge(_ spans: [TimeSpan]) -> [TimeSpan] {
        var result: [TimeSpan] = []
        for span in spans.filter({ $0.start < $0.end }).sorted(by: { $0.start < $1.start }) {
            if let last = result.last, span.start <= last.end {
                result[result.count - 1].end = max(last.end, span.end)
            } else {
                result.append(span)
            }
        }
        return result
    }

    /// The parts of `within` not covered by `spans`.
    public static func gaps(in within: TimeSpan, outside spans: [TimeSpan]) -> [TimeSpan] {
        var result: [TimeSpan] = []
        var cursor = within.start
        for span in merge(spans) where span.end > within.start && span.start < within.end {
            if span.start > cursor { result.append(TimeSpan(start: cursor, end: span.start)) }
            cursor = max(cursor, span.end)
        }
        if cursor < within.end { result.append(TimeSpan(start: cursor, end: within.end)) }
        return result
    }

    /// The intersection of two sorted span lists.
    public static func intersect(_ lhs: [TimeSpan], _ rhs: [TimeSpan]) -> [TimeSpan] {
        var result: [TimeSpan] = []
        for a in merge(lhs) {
            for b in merge(rhs) where b.start < a.end && a.start < b.end {
                result.append(TimeSpan(start: max(a.start, b.start), end: min(a.end, b.end)))
            }
        }
        return merge(result)
    }
}
