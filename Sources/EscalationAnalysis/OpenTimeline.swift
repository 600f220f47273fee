import EscalationCore
import EscalationGraph

/// A calendar's open spans within one span, merged and sorted, so whether it is open at an instant of that span is a
/// binary search instead of converting the instant through the calendar's zone (`CompiledCalendar.isOpen(at:)`, which
/// is open exactly when an open span of `openSpans` holds the instant).
struct OpenTimeline {
    /// The span the answers hold for.
    let span: TimeSpan
    /// `calendar.openSpans(from: span.start, to: span.end)`.
    let open: [TimeSpan]

    /// The open spans of `calendar` within `span`.
    init(_ calendar: CompiledCalendar, in span: TimeSpan) {
        self.span = span
        open = calendar.openSpans(from: span.start, to: span.end)
    }

    /// Whether the calendar is open at `instant`; nil outside `span`.
    func isOpen(at instant: Instant) -> Bool? {
        guard span.contains(instant) else { return nil }
        // The first span ending after the instant is the only one that may hold it: the spans are disjoint and sorted.
        var low = 0
        var high = open.count
        while low < high {
            let middle = (low + high) / 2
            if open[middle].end <= instant { low = middle + 1 } else { high = middle }
        }
        return low < open.count && open[low].start <= instant
    }
}
