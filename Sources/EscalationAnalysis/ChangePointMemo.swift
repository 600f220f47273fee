import EscalationCore

/// The change points of each schedule and calendar within one span, computed once per analysis (every layer of a
/// ladder, and the ladder as a whole, ask for them again). Belongs to one graph: its ids are that graph's.
struct ChangePointMemo {
    /// The span the instants lie in (nil: none yet).
    private(set) var span: TimeSpan?
    private var schedules: [String: [Instant]] = [:]
    private var calendars: [String: [Instant]] = [:]

    /// An empty memo for `span`.
    init(span: TimeSpan? = nil) { self.span = span }

    /// The instants of schedule `id`, made by `make` the first time.
    mutating func schedule(_ id: String, _ make: () -> [Instant]) -> [Instant] {
        if let known = schedules[id] { return known }
        let made = make()
        schedules[id] = made
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
