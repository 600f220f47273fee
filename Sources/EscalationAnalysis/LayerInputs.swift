import EscalationCore
import EscalationGraph

/// What a layer's coverage state (`CoverageAnalyzer.state(of:at:)`) reads at an instant: whether each calendar its
/// conditions name is open, and who is on call in each schedule it pages (directly or in a route's row). Field parts
/// are unknown at every instant and condition explanations name no instant, so equal values give an equal state.
struct LayerInputs {
    /// The values at one instant.
    struct Values: Hashable {
        /// Whether each calendar is open (nil: not declared).
        var open: [Bool?]
        /// Who is on call in each schedule (nil: nobody, or not declared).
        var onCall: [String?]
    }

    /// The calendars its conditions name, by id, in order.
    let calendars: [String]
    /// The schedules it pages, by id, in order.
    let schedules: [String]
    /// Each calendar of `calendars` (nil: not declared) with its open spans in the analysed span.
    private let calendarTimelines: [(calendar: CompiledCalendar, timeline: OpenTimeline)?]
    /// Each schedule of `schedules` (nil: not declared) with its shift starts in the analysed span, and its `during`
    /// calendar's open spans (nil: none declared).
    private let scheduleTimelines: [ScheduleTimelines?]

    /// A schedule with its shift starts and its `during` calendar's open spans; a class, so that reading it at each
    /// instant passes one reference instead of copying the schedule, its shifts and its calendar.
    private final class ScheduleTimelines {
        let schedule: CompiledSchedule
        let shifts: ShiftTimeline
        let during: (calendar: CompiledCalendar, timeline: OpenTimeline)?

        init(_ schedule: CompiledSchedule, _ shifts: ShiftTimeline, _ during: (calendar: CompiledCalendar, timeline: OpenTimeline)?) {
            self.schedule = schedule
            self.shifts = shifts
            self.during = during
        }
    }

    /// The inputs of `layer` in `graph`: its alternatives' conditions, and the schedules of every route variant. The
    /// calendars' open spans and the schedules' shift starts in `span` come from `memo`, so reading them at an instant of
    /// `span` needs no zone. `variants`, when given, holds each choice's `graph.routeVariants(of:)` steps, already found.
    init(_ layer: LadderLayer, graph: RuleGraph, span: TimeSpan, variants: [[CompiledStep]]? = nil, memo: inout ChangePointMemo) {
        var calendars: [String] = []
        var schedules: [String] = []
        for (number, choice) in layer.choices.enumerated() {
            for id in [choice.condition?.during, choice.condition?.outside].compactMap({ $0 }) where !calendars.contains(id) {
                calendars.append(id)
            }
            for step in variants?[number] ?? CoverageAnalyzer.variants(of: choice.step, in: graph) {
                for target in step.targets + step.cc + step.tasks.compactMap(\.assignee) where target.kind == "schedule" {
                    if !schedules.contains(target.ref) { schedules.append(target.ref) }
                }
            }
        }
        self.calendars = calendars
        self.schedules = schedules
        func timeline(_ id: String) -> (calendar: CompiledCalendar, timeline: OpenTimeline)? {
            graph.calendar(id).map { ($0, memo.timeline($0, in: span)) }
        }
        calendarTimelines = calendars.map(timeline)
        scheduleTimelines = schedules.map { id in
            graph.schedule(id).map { ScheduleTimelines($0, memo.shifts($0, in: span), $0.during.flatMap(timeline)) }
        }
    }

    /// Whether `calendar`, one of `calendars`, is open at `instant`, as `calendar.isOpen(at:)` answers (nil: not one of
    /// `calendars`).
    func isOpen(_ calendar: CompiledCalendar, at instant: Instant) -> Bool? {
        guard let index = calendars.firstIndex(of: calendar.id), let entry = calendarTimelines[index] else { return nil }
        return entry.timeline.isOpen(at: instant) ?? entry.calendar.isOpen(at: instant)
    }

    /// The values at `instant`, read as the condition evaluator and the target resolver read them.
    func values(at instant: Instant) -> Values {
        func isOpen(_ entry: (calendar: CompiledCalendar, timeline: OpenTimeline)) -> Bool {
            entry.timeline.isOpen(at: instant) ?? entry.calendar.isOpen(at: instant)
        }
        return Values(
            open: calendarTimelines.map { $0.map(isOpen) },
            onCall: scheduleTimelines.map { entry in
                guard let entry else { return nil }
                return entry.schedule.contactOnCall(
                    at: instant, duringIsOpen: { _ in entry.during.map(isOpen) },
                    shiftIndex: { entry.shifts.shiftIndex(at: $0) ?? entry.schedule.shiftIndex(at: $0) })
            })
    }
}
