import EscalationCore
import EscalationAnalysis
import EscalationGraph
import EscalationPolicy

/// A policy whose whole ladder reaches nobody in some window leaves an incident then unanswered.
public struct CoverageGapRule: PolicyRule {
    /// Creates the rule.
    public init() {}

    /// The rule's id, code, description and examples.
    public static let description = RuleDescription(
        kind: DiagnosticKind(id: "coverage_gap", code: "W101", severity: .warning),
        name: "Coverage gap",
        summary: """
            Over 28 days, some window exists in which no layer of the policy reaches anyone: each layer's 'when' \
            fails or its targets resolve to nobody (a rotation outside its 'during' hours with no override). So that \
            lint is deterministic, the 28 days start at a fixed instant: the Monday 00:00 UTC on or before the \
            earliest rotation start in the organisation, or 2026-01-05T00:00Z when it has no rotation. Field targets \
            count as reached. `escalate coverage` lists every window from any instant.
            """,
        nonTriggeringExamples: [
            RuleExample(
                """
                policies:
                  outage:
                    name: Outage
                    layers:
                      - id: office-desk
                        when: { during: office }
                        notify: [{ contact: alice }]
                        template: page
                        timeout: 15m
                      - id: after-hours
                        when: { outside: office }
                        notify: [{ contact: bob }]
                        template: page
                """),
            RuleExample(
                """
                schedules:
                  daytime:
                    name: Daytime
                    rotation:
                      members: [alice, bob]
                      shift: 1w
                      start: 2026-01-05T09:00
                      during: office
                policies:
                  pager:
                    name: Pager
                    layers:
                      - id: on-call
                        notify: [{ schedule: daytime }]
                        template: page
                        timeout: 30m
                      - id: everyone
                        notify: [{ group: team }]
                        template: page
                """),
        ],
        triggeringExamples: [
            RuleExample(
                """
                policies:
                  ↓office-only:
                    name: Office only
                    layers:
                      - id: desk
                        when: { during: office }
                        notify: [{ group: team }]
                        template: page
                """),
            RuleExample(
                """
                schedules:
                  daytime:
                    name: Daytime
                    rotation:
                      members: [alice, bob]
                      shift: 1w
                      start: 2026-01-07T09:00
                      during: office
                    overrides:
                      - contact: alice
                        from: 2026-01-10T09:00
                        to: 2026-01-11T17:00
                policies:
                  ↓pager:
                    name: Pager
                    layers:
                      - id: on-call
                        notify: [{ schedule: daytime }]
                        template: page
                """),
        ])

    /// The fixed start of the 28 days: the Monday 00:00 UTC on or before the earliest rotation start, or
    /// 2026-01-05T00:00Z (a Monday) when the organisation has no rotation.
    public static func referenceInstant(for graph: RuleGraph) -> Instant {
        let starts = graph.schedules.filter { !$0.members.isEmpty && $0.shiftSeconds > 0 }.map(\.start)
        guard let earliest = starts.min() else { return ZonedTime.instant(LocalDate(year: 2026, month: 1, day: 5), minutes: 0, in: ZonedTime.utc) }
        let date = ZonedTime.local(earliest, in: ZonedTime.utc).date
        return ZonedTime.instant(date.adding(days: 1 - date.weekday.isoNumber), minutes: 0, in: ZonedTime.utc)
    }

    /// The number of days analysed.
    public static let days = 28

    /// Reports each policy whose whole ladder reaches nobody in some window of the 28 days.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        guard !context.hasLoadErrors else { return [] }
        let graph = context.graph
        let analyzer = CoverageAnalyzer(graph: graph)
        // The message reads what `analyzer.analyze(compiled, from: start, days: Self.days)` reports: the range's start,
        // the ladder's gaps and their total, and the first gap's edges. Each policy's ladder is built once, the
        // calendars and rotations are read once for all policies, and only a reported gap is formatted. Only the first
        // gap's reasons are printed, so only its reasons are built.
        let range = analyzer.range(from: Self.referenceInstant(for: graph), days: Self.days)
        var analysed: [(id: String, declared: Located<String>, ladder: [LadderLayer])] = []
        let declared = Declared(graph)
        for compiled in graph.policies {
            guard let policy = context.organisation.policy(compiled.id), !policy.layers.isEmpty else { continue }
            let ladder = compiled.ladder
            guard !dangling(ladder, in: graph, declared) else { continue }
            analysed.append((compiled.id, policy.id, ladder))
        }
        var result: [Diagnostic] = []
        for (policy, gaps) in zip(analysed, analyzer.ladderGaps(of: analysed.map(\.ladder), over: range, reasonedWindows: 1)) {
            guard let gap = gaps.first else { continue }
            let zone = analyzer.zone
            let first = CoverageWindow(span: gap.span, reasons: gap.reasons, zone: zone)
            let seconds = gaps.map(\.span.seconds).reduce(0, +)
            let count = gaps.count
            let windows = count == 1 ? "1 window" : "\(count) windows"
            result.append(
                kind(
                    "policy '\(policy.id)' reaches nobody in \(windows) (\(CoverageWindow.duration(seconds)) in total) in the \(Self.days) days from \(ZonedTime.display(range.start, in: zone)); the first is \(first.startDisplay) – \(first.endDisplay) (\(first.duration)): \(first.reasons.joined(separator: "; "))",
                    at: policy.declared.location,
                    hint: "add a layer that reaches someone at those times (a group, or a schedule without gaps), or widen the calendar or rotation hours; `escalate coverage` lists every window"))
        }
        return result
    }

    /// The ids a graph declares, and its groups and schedules by id (the first of each id, as `RuleGraph`'s lookups
    /// find them), for `dangling`'s many questions.
    private struct Declared {
        let calendars: Set<String>
        let contacts: Set<String>
        let groups: [String: CompiledGroup]
        let schedules: [String: CompiledSchedule]

        init(_ graph: RuleGraph) {
            calendars = Set(graph.calendars.map(\.id))
            contacts = Set(graph.contacts.map(\.id))
            groups = Dictionary(graph.groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            schedules = Dictionary(graph.schedules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Whether the ladder (a policy's `ladder`) names something undeclared (other rules report it; coverage would only repeat it).
    private func dangling(_ ladder: [LadderLayer], in graph: RuleGraph, _ declared: Declared) -> Bool {
        func danglingTarget(_ target: CompiledTarget) -> Bool {
            switch target.kind {
            case "contact": return !declared.contacts.contains(target.ref)
            case "group":
                guard let group = declared.groups[target.ref] else { return true }
                return group.members.contains { !declared.contacts.contains($0) }
            case "schedule":
                guard let schedule = declared.schedules[target.ref] else { return true }
                if let during = schedule.during, !declared.calendars.contains(during) { return true }
                return schedule.members.contains { !declared.contacts.contains($0) }
                    || schedule.overrides.contains { !declared.contacts.contains($0.contact) }
            case "route": return true
            default: return false
            }
        }
        // A route target stands for its rows' targets; an undeclared one is itself dangling.
        func dangles(_ target: CompiledTarget) -> Bool {
            guard target.kind == "route", let route = graph.route(target.ref) else { return danglingTarget(target) }
            return route.branches.contains { $0.targets.contains(where: danglingTarget) }
        }
        for layer in ladder {
            for choice in layer.choices {
                for id in [choice.condition?.during, choice.condition?.outside].compactMap({ $0 }) where !declared.calendars.contains(id) { return true }
                if choice.step.targets.contains(where: dangles) || choice.step.cc.contains(where: dangles) { return true }
                if choice.step.tasks.contains(where: { $0.assignee.map(dangles) ?? false }) { return true }
            }
        }
        return false
    }
}
