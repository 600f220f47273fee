import EscalationCore
import EscalationGraph

/// The change points of each schedule and calendar within one span, computed once per analysis (every layer of a
/// ladder, and the ladder as a whole, ask for them again). Belongs to one graph: its ids are that graph's.
struct ChangePointMemo {
    /// The span the instants lie in (nil: none yet).
    private(set) var span: TimeSpan?
    private var schedules: [String: [Instant]] = [:]
    private var calendars: [String: [Instant]] = [:]
    private var timelines: [String: OpenTimeline] = [:]
    private var shifts: [String: ShiftTimeline] = [:]

    /// An empty memo for `span`.
    init(span: TimeSpan? = nil) { self.span = span }

    /// The instants of schedule `id`, made by `make` the first time.
    mutating func schedule(_ id: String, _ make: () -> [Instant]) -> [Instant] {
        if let known = schedules[id] { return known }
        let made = make()
        schedules[id] = made
        return made
    }

    /// The open spans of `calendar` within `span`, found the first time (the memo starts again for another span).
    mutating func timeline(_ calendar: CompiledCalendar, in span: TimeSpan) -> OpenTimeline {
        if self.span != span { self = ChangePointMemo(span: span) }
        if let known = timelines[calendar.id] { return known }
        let made = OpenTimeline(calendar, in: span)
        timelines[calendar.id] = made
        return made
    }

    /// The shift starts of `schedule` over `span`, found the first time (the memo starts again for another span).
    mutating func shifts(_ schedule: CompiledSchedule, in span: TimeSpan) -> ShiftTimeline {
        if self.span != span { self = ChangePointMemo(span: span) }
        if let known = shifts[schedule.id] { return known }
        let made = ShiftTimeline(schedule, in: span)
        shifts[schedule.id] = made
        return made
    }

    /// The instants of calendar `id`, made by `make` the first time.
    mutating func calendar(_ id: String, _ make: () -> [Instant]) -> [Instant] {
        if let known = calendars[id] { return known }
        let made = make()
        calendars[id] = made
        return made
    }
}
