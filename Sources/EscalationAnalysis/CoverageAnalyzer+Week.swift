import EscalationCore
import EscalationGraph
import Foundation

extension CoverageAnalyzer {
    /// The most bands a grid cuts a day into before it falls back to whole hours.
    public static let mostBands = 24

    /// The coverage of `policy` over the seven local days from `date` 00:00, as a grid (see `CoverageWeek`).
    public func week(_ policy: CompiledPolicy, from date: LocalDate) -> CoverageWeek {
        let zone = self.zone
        let start = ZonedTime.instant(date, minutes: 0, in: zone)
        let end = ZonedTime.instant(date.adding(days: 7), minutes: 0, in: zone)
        let span = TimeSpan(start: start, end: max(end, start))
        let report = analyze(policy, over: span, days: 7)
        let ladder = policy.ladder
        let points = changePoints(for: ladder, in: span)
        var minutes = Set(points.map { ZonedTime.local($0, in: zone).minutes })
        minutes.insert(0)
        let bands = minutes.count <= Self.mostBands ? minutes.sorted() : Array(stride(from: 0, to: 1_440, by: 60))
        let days = (0..<7).map { offset -> CoverageWeek.Day in
            let day = date.adding(days: offset)
            let cells = bands.indices.map { index -> CoverageWeek.Cell in
                let from = ZonedTime.instant(day, minutes: bands[index], in: zone)
                let to = ZonedTime.instant(day, minutes: index + 1 < bands.count ? bands[index + 1] : 1_440, in: zone)
                return cell(ladder, over: TimeSpan(start: from, end: max(from, to)), points: points, report: report)
            }
            let name = day.weekday.rawValue.prefix(1).uppercased() + day.weekday.rawValue.dropFirst()
            return CoverageWeek.Day(date: day, label: "\(name) \(day)", cells: cells)
        }
        return CoverageWeek(report: report, bands: bands, days: days)
    }

    /// One cell: each layer evaluated at the cell's start and at every change point inside it (between them nothing
    /// changes), the gaps taken from the report's windows.
    private func cell(_ ladder: [LadderLayer], over span: TimeSpan, points: [Instant], report: CoverageReport) -> CoverageWeek.Cell {
        guard span.start < span.end else {
            return CoverageWeek.Cell(span: span, layers: [], firstLayerGap: false, ladderGap: false)
        }
        let instants = [span.start] + points.filter { $0 > span.start && $0 < span.end }
        let layers = ladder.map { layer in reach(of: layer, at: instants) }
        func overlaps(_ windows: [CoverageWindow]) -> Bool { windows.contains { $0.span.start < span.end && span.start < $0.span.end } }
        return CoverageWeek.Cell(
            span: span, layers: layers, firstLayerGap: overlaps(report.firstLayerGaps), ladderGap: overlaps(report.ladderGaps))
    }

    /// Whom a layer reaches if it starts at any of `instants`: the union of the contacts its possible alternatives
    /// (and route rows) reach, as `state(of:at:)` decides them.
    private func reach(of layer: LadderLayer, at instants: [Instant]) -> CoverageWeek.Reach {
        let resolver = TargetResolver(graph: graph)
        var names: [String] = []
        var skipped = false
        var nobody: String?
        for instant in instants {
            let (possible, _) = candidates(of: layer, at: instant)
            if possible.isEmpty { skipped = true }
            if nobody == nil { nobody = state(of: layer, at: instant) }
            for (_, choice) in possible {
                for (_, step) in graph.routeVariants(of: choice.step) {
                    let resolved = resolver.resolve(step, at: instant, fields: nil)
                    for target in resolved.notify + resolved.cc + resolved.assignees {
                        let found = target.pendingField ? ["incident field \(target.target.ref)"] : target.recipients.map(\.name)
                        for name in found where !names.contains(name) { names.append(name) }
                    }
                }
            }
        }
        return CoverageWeek.Reach(layer: layer.number, id: layer.id, names: names, skipped: skipped, nobody: nobody)
    }

    /// Who `schedule` resolves to over the seven local days from `date` 00:00, day by day (`CompiledSchedule.coverage`).
    public func week(_ schedule: CompiledSchedule, from date: LocalDate) -> ScheduleWeek {
        let zone = self.zone
        let days = (0..<7).map { offset -> ScheduleWeek.Day in
            let day = date.adding(days: offset)
            let start = ZonedTime.instant(day, minutes: 0, in: zone)
            let end = ZonedTime.instant(day.adding(days: 1), minutes: 0, in: zone)
            let stretches = schedule.coverage(from: start, to: end, calendars: graph.calendars).map { segment in
                let from = ZonedTime.local(segment.span.start, in: zone).minutes
                let to = segment.span.end == end ? 1_440 : ZonedTime.local(segment.span.end, in: zone).minutes
                return ScheduleWeek.Stretch(
                    span: segment.span, label: "\(TimeOfDay(minutes: from))–\(TimeOfDay(minutes: to))",
                    name: segment.contact.map { graph.contact($0)?.name ?? $0 })
            }
            let name = day.weekday.rawValue.prefix(1).uppercased() + day.weekday.rawValue.dropFirst()
            return ScheduleWeek.Day(label: "\(name) \(day)", stretches: stretches)
        }
        return ScheduleWeek(schedule: schedule.id, name: schedule.name, days: days)
    }

    /// The schedules a policy's layers name (directly, or in a route's rows), in order.
    public func schedules(of policy: CompiledPolicy) -> [CompiledSchedule] {
        var ids: [String] = []
        for layer in policy.ladder {
            for choice in layer.choices {
                let targets = choice.step.targets + choice.step.cc + choice.step.tasks.compactMap(\.assignee)
                let expanded = targets.flatMap { target in
                    target.kind == "route" ? (graph.route(target.ref)?.branches.flatMap(\.targets) ?? []) : [target]
                }
                for target in expanded where target.kind == "schedule" && !ids.contains(target.ref) { ids.append(target.ref) }
            }
        }
        return ids.compactMap { graph.schedule($0) }
    }

    /// Who each schedule resolves to at `instant` (all of the organisation's when `schedules` is nil), and until when
    /// that holds (looking up to 35 days ahead).
    public func onCall(at instant: Instant, schedules: [CompiledSchedule]? = nil) -> [ScheduleOnCall] {
        let zone = self.zone
        return (schedules ?? graph.schedules).map { schedule in
            let horizon = instant.adding(seconds: 35 * 86_400)
            let until = schedule.coverage(from: instant, to: horizon, calendars: graph.calendars).first.flatMap { segment in
                segment.span.end < horizon ? ZonedTime.display(segment.span.end, in: zone) : nil
            }
            guard let (contact, reason) = schedule.onCall(at: instant, calendars: graph.calendars) else {
                let why: String
                if schedule.members.isEmpty {
                    why = "the rotation has no members and no override applies"
                } else if let during = schedule.during {
                    why = "outside the rotation's hours (calendar \(during) is closed) and no override applies"
                } else {
                    why = "nobody is on call"
                }
                return ScheduleOnCall(schedule: schedule.id, name: schedule.name, contact: nil, contactName: nil, reason: why, until: until)
            }
            let how: String
            switch reason {
            case .override: how = "override"
            case .rotation(let shift, _, _): how = "rotation shift \(shift)"
            }
            return ScheduleOnCall(
                schedule: schedule.id, name: schedule.name, contact: contact, contactName: graph.contact(contact)?.name ?? contact, reason: how,
                until: until)
        }
    }
}
