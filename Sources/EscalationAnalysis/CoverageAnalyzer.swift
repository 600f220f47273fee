import EscalationGraph
import EscalationCore
import Foundation

/// Finds the windows in which a policy reaches nobody, exactly (no sampling): over a range, every instant at which
/// anything a policy reads can change (calendar openings and closings with holidays and DST, rotation hand-offs,
/// override edges) is collected; between two such instants the answer is constant, so each segment is evaluated
/// once, at its start, and equal neighbours are joined. Each layer is evaluated as if it started at that instant.
/// Before an incident its fields are unknown: field targets count as reached and field conditions as holding (the
/// report says so). Pure: the range is a parameter.
public struct CoverageAnalyzer: Sendable {
    /// The compiled organisation.
    public var graph: RuleGraph

    /// Creates an analyzer over a graph.
    public init(graph: RuleGraph) { self.graph = graph }

    /// The organisation's zone.
    public var zone: TimeZone { ZonedTime.zone(graph.timezone) ?? ZonedTime.utc }

    /// `[from, the same local time N days later)` in the organisation's zone (a DST day is 23 or 25 hours).
    public func range(from start: Instant, days: Int) -> TimeSpan {
        let local = ZonedTime.local(start, in: zone)
        let end = ZonedTime.instant(local.date.adding(days: max(days, 0)), minutes: local.minutes, in: zone).adding(seconds: local.second)
        return TimeSpan(start: start, end: max(end, start))
    }

    /// The coverage of every policy from `start` over `days` local days.
    public func analyze(from start: Instant, days: Int = 28) -> [CoverageReport] {
        graph.policies.map { analyze($0, from: start, days: days) }
    }

    /// The coverage of one policy from `start` over `days` local days.
    public func analyze(_ policy: CompiledPolicy, from start: Instant, days: Int = 28) -> CoverageReport {
        analyze(policy, over: range(from: start, days: days), days: days)
    }

    /// The coverage of one policy over a span.
    public func analyze(_ policy: CompiledPolicy, over span: TimeSpan, days: Int) -> CoverageReport {
        let ladder = policy.ladder
        var memo = ChangePointMemo()
        let (first, whole) = gaps(of: ladder, over: span, firstLayer: true, memo: &memo)
        let zone = self.zone
        return CoverageReport(
            organisation: graph.organisation, timezone: graph.timezone, policy: policy.id, name: policy.name,
            range: CoverageWindow(span: span, reasons: [], zone: zone), days: days, firstLayer: ladder.first?.id,
            firstLayerGaps: first.map { CoverageWindow(span: $0.0, reasons: $0.1, zone: zone) },
            ladderGaps: whole.map { CoverageWindow(span: $0.0, reasons: $0.1, zone: zone) }, notes: notes(for: ladder))
    }

    /// The windows of `span` in which no layer of `ladder` (a policy's `ladder`) reaches anyone, with their reasons:
    /// the spans and reasons of `analyze(_:over:days:)`'s `ladderGaps`, without the first layer's windows, the notes,
    /// or any instant formatted (what the coverage-gap lint rule reads, for every policy of every organisation).
    public func ladderGaps(of ladder: [LadderLayer], over span: TimeSpan) -> [(span: TimeSpan, reasons: [String])] {
        ladderGaps(of: [ladder], over: span)[0]
    }

    /// `ladderGaps(of:over:)` of each ladder, in order. The calendars' open spans and the schedules' shifts and change
    /// points over `span` are found once for all of them.
    public func ladderGaps(of ladders: [[LadderLayer]], over span: TimeSpan) -> [[(span: TimeSpan, reasons: [String])]] {
        ladderGaps(of: ladders, over: span, reasonedWindows: .max)
    }

    /// The windows in which the first layer (when `firstLayer`; none otherwise) and the whole ladder reach nobody.
    /// `memo` holds what is known of this graph's calendars and schedules over `span`.
    private func gaps(of ladder: [LadderLayer], over span: TimeSpan, firstLayer: Bool, memo: inout ChangePointMemo) -> (
        first: [(TimeSpan, [String])], whole: [(TimeSpan, [String])]
    ) {
        let points = changePoints(for: ladder, in: span, memo: &memo)
        let table = states(of: ladder, at: points, in: span, memo: &memo)
        var first: [(TimeSpan, [String])] = []
        var whole: [(TimeSpan, [String])] = []
        for (index, start) in points.enumerated() {
            let segment = TimeSpan(start: start, end: index + 1 < points.count ? points[index + 1] : span.end)
            if firstLayer {
                if let head = table.first, let reason = head[index] {
                    Self.extend(&first, segment, [reason])
                } else if ladder.isEmpty {
                    Self.extend(&first, segment, ["the policy has no layers"])
                }
            }
            if !table.contains(where: { $0[index] == nil }) {
                Self.extend(&whole, segment, ladder.isEmpty ? ["the policy has no layers"] : table.map { $0[index] }.compactMap { $0 })
            }
        }
        return (first, whole)
    }

    /// Appends a segment, joining it to the last window when they touch; reasons are kept distinct, in order.
    private static func extend(_ windows: inout [(TimeSpan, [String])], _ segment: TimeSpan, _ reasons: [String]) {
        if let last = windows.last, last.0.end == segment.start {
            windows[windows.count - 1].0.end = segment.end
            windows[windows.count - 1].1 += reasons.filter { !last.1.contains($0) }
        } else {
            windows.append((segment, reasons))
        }
    }

    /// A layer's answer at each of `points` (sorted): worked out only at the layer's own change points (`own`, sorted),
    /// and once per distinct inputs, since between two of its change points nothing the layer reads changes; nil
    /// before its first change point. `states` and `unreached` both walk a ladder so.
    @inline(__always)
    static func held<Answer>(
        at points: [Instant], own: [Instant], inputs: LayerInputs, answer: (LayerInputs.Values, Instant) -> Answer?
    ) -> [Answer?] {
        var known: [LayerInputs.Values: Answer?] = [:]
        var result: [Answer?] = []
        result.reserveCapacity(points.count)
        var next = 0
        var current: Answer?
        for point in points {
            if next < own.count, own[next] <= point {
                while next < own.count, own[next] <= point { next += 1 }
                let values = inputs.values(at: point)
                if let seen = known[values] {
                    current = seen
                } else {
                    current = answer(values, point)
                    known[values] = current
                }
            }
            result.append(current)
        }
        return result
    }

    /// `state(of:at:)` of each layer (outer) at each of `points` (inner), the ladder's change points in `span`. A layer
    /// is evaluated only at its own change points: between two of them nothing it reads changes, so its state holds.
    /// At a change point whose inputs (`LayerInputs`) it has seen before, the state found then is taken again.
    func states(of ladder: [LadderLayer], at points: [Instant], in span: TimeSpan, memo: inout ChangePointMemo) -> [[String?]] {
        ladder.map { layer in
            let own = changePoints(for: [layer], in: span, memo: &memo)
            let inputs = LayerInputs(layer, graph: graph, span: span, memo: &memo)
            return Self.held(at: points, own: own, inputs: inputs) { _, point in state(of: layer, at: point, inputs: inputs) }
        }
    }

    /// Why a layer reaches nobody if it starts at `instant`, or nil when it reaches someone. Of a layer's alternatives,
    /// those whose condition fails are passed over; one that holds is taken; one whose condition reads incident fields
    /// may be taken, so it is analysed and the search goes on. Each row a route may pick is analysed on its own.
    /// With `inputs` (the layer's), whether a calendar is open is read from its open spans, without converting the
    /// instant through the calendar's zone.
    func state(of layer: LadderLayer, at instant: Instant, inputs: LayerInputs? = nil) -> String? {
        let label = "layer \(layer.number) '\(layer.id)'"
        let (possible, failures) = candidates(of: layer, at: instant, inputs: inputs)
        guard !possible.isEmpty else {
            return "\(label) is skipped (\(failures.joined(separator: "; ")))"
        }
        // Whether anyone is reached, and the problems when nobody is, do not depend on channels.
        let resolver = TargetResolver(graph: graph, resolvesChannels: false)
        for (number, choice) in possible {
            let which = layer.isChoice ? " (alternative \(number + 1))" : ""
            for (assumption, step) in graph.routeVariants(of: choice.step) {
                let resolved = resolver.resolve(step, at: instant, fields: nil)
                guard !resolved.reachesAnyone else { continue }
                let when = assumption.map { " when \($0)" } ?? ""
                let all = resolved.notify + resolved.cc + resolved.assignees
                if all.isEmpty { return "\(label)\(which) has no one to notify\(when)" }
                let problems = all.compactMap(\.problem)
                return "\(label)\(which) reaches nobody\(when) (\(problems.isEmpty ? "its targets resolve to nobody" : problems.joined(separator: "; ")))"
            }
        }
        return nil
    }

    /// The alternatives of a layer that may run if it starts at `instant` (fields unknown), and why the others fail.
    /// With `inputs` (the layer's), whether a calendar is open is read from its open spans.
    func candidates(of layer: LadderLayer, at instant: Instant, inputs: LayerInputs? = nil) -> (
        possible: [(number: Int, choice: LadderLayer.Choice)], failures: [String]
    ) {
        let evaluator = ConditionEvaluator(graph: graph, looksAhead: false)
        var possible: [(number: Int, choice: LadderLayer.Choice)] = []
        var failures: [String] = []
        for (number, choice) in layer.choices.enumerated() {
            guard let condition = choice.condition else {
                possible.append((number, choice))
                break
            }
            let evaluation = evaluator.evaluate(condition, at: instant, fields: nil) { calendar in
                inputs?.isOpen(calendar, at: instant) ?? calendar.isOpen(at: instant)
            }
            if evaluation.verdict == .fails {
                failures.append(evaluation.failures)
                continue
            }
            possible.append((number, choice))
            if evaluation.verdict == .holds { break }
        }
        return (possible, failures)
    }

    /// Every instant in `span` at which what a layer of the ladder reads may change, with `span.start`, sorted.
    public func changePoints(for ladder: [LadderLayer], in span: TimeSpan) -> [Instant] {
        var memo = ChangePointMemo()
        return changePoints(for: ladder, in: span, memo: &memo)
    }

    /// `changePoints(for:in:)`, with each schedule's and calendar's instants in `span` kept in `memo` for the next call
    /// over the same span.
    func changePoints(for ladder: [LadderLayer], in span: TimeSpan, memo: inout ChangePointMemo) -> [Instant] {
        guard span.start < span.end else { return [] }
        var calendars = Set<String>()
        var schedules = Set<String>()
        for layer in ladder {
            for choice in layer.choices {
                for id in [choice.condition?.during, choice.condition?.outside].compactMap({ $0 }) { calendars.insert(id) }
                let targets = choice.step.targets + choice.step.cc + choice.step.tasks.compactMap(\.assignee)
                let expanded = targets.flatMap { target in
                    target.kind == "route" ? (graph.route(target.ref)?.branches.flatMap(\.targets) ?? []) : [target]
                }
                for target in expanded where target.kind == "schedule" { schedules.insert(target.ref) }
            }
        }
        if memo.span != span { memo = ChangePointMemo(span: span) }
        // Sorted and distinct: the instants are gathered in a list, sorted, and each kept once.
        var all: [Instant] = [span.start]
        for id in schedules.sorted() {
            guard let schedule = graph.schedule(id) else { continue }
            if let during = schedule.during { calendars.insert(during) }
            let shifts = memo.shifts(schedule, in: span)
            all += memo.schedule(id) { scheduleChanges(schedule, shifts, in: span) }
        }
        for id in calendars.sorted() {
            guard let calendar = graph.calendar(id) else { continue }
            let timeline = memo.timeline(calendar, in: span)
            all += memo.calendar(id) { calendarChanges(timeline, in: span) }
        }
        all.sort()
        var points: [Instant] = []
        points.reserveCapacity(all.count)
        for point in all where point != points.last { points.append(point) }
        return points
    }

    /// The instants in `span` at which a schedule's overrides start or end, or a shift starts (from `shifts`, its
    /// shift starts over `span`).
    private func scheduleChanges(_ schedule: CompiledSchedule, _ shifts: ShiftTimeline, in span: TimeSpan) -> [Instant] {
        var points: [Instant] = []
        func add(_ instant: Instant) { if span.contains(instant) { points.append(instant) } }
        for override in schedule.overrides {
            add(override.from)
            add(override.to)
        }
        guard !schedule.members.isEmpty, schedule.shiftSeconds > 0 else { return points }
        for start in shifts.starts where start < span.end { add(start) }
        return points
    }

    /// The instants in `span` at which a calendar opens or closes, from its open spans in `span`.
    private func calendarChanges(_ timeline: OpenTimeline, in span: TimeSpan) -> [Instant] {
        var points: [Instant] = []
        for open in timeline.open {
            if span.contains(open.start) { points.append(open.start) }
            if span.contains(open.end) { points.append(open.end) }
        }
        return points
    }

    /// The assumptions a report rests on: field targets and field conditions of each layer.
    private func notes(for ladder: [LadderLayer]) -> [String] {
        var notes: [String] = []
        for layer in ladder {
            let label = layer.number == 1 ? "first layer '\(layer.id)'" : "layer \(layer.number) '\(layer.id)'"
            let steps = layer.choices.map(\.step)
            let targets = steps.flatMap { $0.targets + $0.cc + $0.tasks.compactMap(\.assignee) }
            let fields = targets.filter { $0.kind == "field" }.map(\.ref)
            if !fields.isEmpty {
                var seen = Set<String>()
                let names = fields.filter { seen.insert($0).inserted }.joined(separator: ", ")
                let only = targets.allSatisfy { $0.kind == "field" } ? " only" : ""
                notes.append("\(label) reaches\(only) incident field \(names), unknown until an incident: counted as reached")
            }
            let routes = Set(targets.filter { $0.kind == "route" }.compactMap { graph.route($0.ref)?.field })
            if !routes.isEmpty {
                notes.append("\(label) routes by \(routes.sorted().joined(separator: ", ")): each row is analysed as if the incident picked it")
            }
            let conditions = layer.choices.compactMap(\.condition).filter { !$0.fields.isEmpty || !$0.outcome.isEmpty }
            if !conditions.isEmpty {
                let names = Set(conditions.flatMap { $0.fields.keys.sorted() + ($0.outcome.isEmpty ? [] : ["outcome"]) }).sorted()
                let assumption = layer.isChoice ? "an alternative that reads them may be taken or not: each is analysed" : "assumed to hold"
                notes.append("\(label)'s condition reads \(names.joined(separator: ", ")), unknown until an incident: \(assumption)")
            }
        }
        return notes
    }
}
