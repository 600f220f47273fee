import EscalationCore
import EscalationGraph

/// A schedule's shift starts over one span, so the shift holding an instant of that span is a binary search instead of
/// converting instants through the schedule's zone (`CompiledSchedule.shiftIndex(at:)`).
struct ShiftTimeline {
    /// The span the answers hold for.
    let span: TimeSpan
    /// The index of the shift holding `span.start`.
    let first: Int
    /// `shiftStart(first + i)` for each i, up to and including the first start at or after `span.end` (none without
    /// shifts).
    let starts: [Instant]

    /// The shift starts of `schedule` over `span`.
    init(_ schedule: CompiledSchedule, in span: TimeSpan) {
        self.span = span
        guard schedule.shiftSeconds > 0 else {
            first = 0
            starts = []
            return
        }
        let first = schedule.shiftIndex(at: span.start)
        var starts: [Instant] = []
        var k = first
        while true {
            let start = schedule.shiftStart(k)
            starts.append(start)
            if start >= span.end { break }
            k += 1
        }
        self.first = first
        self.starts = starts
    }

    /// `schedule.shiftIndex(at: instant)` for an instant of `span`; nil outside it or without shifts.
    func shiftIndex(at instant: Instant) -> Int? {
        guard span.contains(instant), !starts.isEmpty else { return nil }
        // The first start after the instant; the shift before it holds the instant (`starts[0]` is at or before it).
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return first + low - 1
    }
}
