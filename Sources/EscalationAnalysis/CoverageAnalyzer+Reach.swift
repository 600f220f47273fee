import EscalationCore
import EscalationGraph

extension CoverageAnalyzer {
    /// `ladderGaps(of:over:)` of each ladder, with the reasons of only the first `reasonedWindows` windows of each
    /// (the others' reasons are empty). Whether a layer reaches nobody is decided from what it reads at an instant
    /// (`LayerInputs.Values`) without building a reason; a reason is built, exactly as `state(of:at:inputs:)` builds
    /// it at the instant the full analysis evaluates the layer, only for a window whose reasons are asked for.
    public func ladderGaps(
        of ladders: [[LadderLayer]], over span: TimeSpan, reasonedWindows: Int
    ) -> [[(span: TimeSpan, reasons: [String])]] {
        var memo = ChangePointMemo()
        return ladders.map { ladder in
            let own = ladder.map { changePoints(for: [$0], in: span, memo: &memo) }
            let points = Self.ladderPoints(own: own, in: span)
            let (table, inputs) = unreached(of: ladder, at: points, in: span, own: own, memo: &memo)
            // The windows of `gaps(of:over:firstLayer:memo:)`'s `whole`, with the indices of the points they join.
            var windows: [(span: TimeSpan, indices: [Int])] = []
            for (index, start) in points.enumerated() where !table.contains(where: { $0[index] == nil }) {
                let segment = TimeSpan(start: start, end: index + 1 < points.count ? points[index + 1] : span.end)
                if let last = windows.last, last.span.end == segment.start {
                    windows[windows.count - 1].span.end = segment.end
                    windows[windows.count - 1].indices.append(index)
                } else {
                    windows.append((segment, [index]))
                }
            }
            var known: [[Instant: String]] = Array(repeating: [:], count: ladder.count)
            func reasons(at index: Int) -> [String] {
                guard !ladder.isEmpty else { return ["the policy has no layers"] }
                return ladder.indices.compactMap { number in
                    guard let instant = table[number][index] else { return nil }
                    if let reason = known[number][instant] { return reason }
                    let reason = state(of: ladder[number], at: instant, inputs: inputs[number]) ?? ""
                    known[number][instant] = reason
                    return reason
                }
            }
            return windows.enumerated().map { number, window in
                guard number < reasonedWindows else { return (window.span, []) }
                var joined: [String] = []
                for (position, index) in window.indices.enumerated() {
                    let more = reasons(at: index)
                    if position == 0 {
                        joined = more
                    } else {
                        let before = joined
                        joined += more.filter { !before.contains($0) }
                    }
                }
                return (window.span, joined)
            }
        }
    }

    /// `changePoints(for: ladder, in: span)` from each layer's own change points (`own`), so that each is found once:
    /// `span.start` with every layer's, sorted and distinct, or none for an empty span.
    static func ladderPoints(own: [[Instant]], in span: TimeSpan) -> [Instant] {
        guard span.start < span.end else { return [] }
        var all = [span.start] + own.joined()
        all.sort()
        var points: [Instant] = []
        points.reserveCapacity(all.count)
        for point in all where point != points.last { points.append(point) }
        return points
    }

    /// For each layer (outer) at each of `points` (inner): nil when the layer reaches someone there, else the instant
    /// at which `states(of:at:in:memo:)` evaluates the state it holds there (a reason would be built at that instant);
    /// with each layer's inputs. Mirrors `states`: a layer is evaluated at its own change points only, and once per
    /// distinct inputs. `own` holds each layer's own change points when they are known already.
    func unreached(
        of ladder: [LadderLayer], at points: [Instant], in span: TimeSpan, own ownPoints: [[Instant]]? = nil, memo: inout ChangePointMemo
    ) -> (table: [[Instant?]], inputs: [LayerInputs]) {
        var table: [[Instant?]] = []
        var all: [LayerInputs] = []
        table.reserveCapacity(ladder.count)
        all.reserveCapacity(ladder.count)
        // The declared contact ids, so that whether a target's contact is declared is one lookup, not a search.
        let contacts = Set(graph.contacts.map(\.id))
        for (number, layer) in ladder.enumerated() {
            let own = ownPoints?[number] ?? changePoints(for: [layer], in: span, memo: &memo)
            let variants = layer.choices.map { choice in Self.variants(of: choice.step, in: graph) }
            let inputs = LayerInputs(layer, graph: graph, span: span, variants: variants, memo: &memo)
            table.append(
                Self.held(at: points, own: own, inputs: inputs) { values, point in
                    reachesSomeone(layer, variants: variants, values: values, inputs: inputs, contacts: contacts) ? nil : point
                })
            all.append(inputs)
        }
        return (table, all)
    }

    /// `graph.routeVariants(of: step).map(\.step)`: a step none of whose targets, cc or assignees is a route comes back
    /// alone, without the lists `routeVariants` builds to find that out.
    static func variants(of step: CompiledStep, in graph: RuleGraph) -> [CompiledStep] {
        let routes =
            step.targets.contains { $0.kind == "route" } || step.cc.contains { $0.kind == "route" }
            || step.tasks.contains { $0.assignee?.kind == "route" }
        return routes ? graph.routeVariants(of: step).map(\.step) : [step]
    }

    /// Whether `state(of: layer, at: instant, inputs: inputs)` is nil, where `values` are `inputs.values(at: instant)`
    /// and `variants` each choice's route variants (`graph.routeVariants(of:)`): some alternative may run, and every
    /// route variant of every alternative that may run reaches someone. No reason is built. `contacts` holds the ids of
    /// `graph.contacts`.
    func reachesSomeone(
        _ layer: LadderLayer, variants: [[CompiledStep]], values: LayerInputs.Values, inputs: LayerInputs, contacts: Set<String>
    ) -> Bool {
        var anyPossible = false
        for (number, choice) in layer.choices.enumerated() {
            var holds = true
            if let condition = choice.condition {
                // `ConditionEvaluator.evaluate`'s verdict with no fields, outcome or signals known: a calendar part
                // fails when its calendar is not declared or is open (closed) for `outside` (`during`); any other part
                // is unknown.
                var fails = false
                if let during = condition.during, calendarOpen(during, values: values, inputs: inputs) != true { fails = true }
                if let outside = condition.outside, calendarOpen(outside, values: values, inputs: inputs) != false { fails = true }
                if fails { continue }
                holds = condition.fields.isEmpty && condition.outcome.isEmpty && (condition.seen ?? []).isEmpty
            }
            anyPossible = true
            for step in variants[number] where !reaches(step, values: values, inputs: inputs, contacts: contacts) { return false }
            if holds { break }
        }
        return anyPossible
    }

    /// Whether calendar `id` (one of `inputs.calendars`) is open in `values` (nil: not declared).
    private func calendarOpen(_ id: String, values: LayerInputs.Values, inputs: LayerInputs) -> Bool? {
        guard let index = inputs.calendars.firstIndex(of: id) else { return nil }
        return values.open[index]
    }

    /// `TargetResolver(graph:resolvesChannels: false).resolve(step, at: instant, fields: nil).reachesAnyone`, with who
    /// is on call in each schedule read from `values`.
    private func reaches(_ step: CompiledStep, values: LayerInputs.Values, inputs: LayerInputs, contacts: Set<String>) -> Bool {
        for target in step.targets where reaches(target, values: values, inputs: inputs, contacts: contacts) { return true }
        for target in step.cc where reaches(target, values: values, inputs: inputs, contacts: contacts) { return true }
        for task in step.tasks {
            if let target = task.assignee, reaches(target, values: values, inputs: inputs, contacts: contacts) { return true }
        }
        return false
    }

    /// Whether one target, resolved with no incident fields, has a recipient or a pending field. A contact is declared
    /// when `graph.contact(id)` finds it, that is when its id is in `contacts`.
    private func reaches(_ target: CompiledTarget, values: LayerInputs.Values, inputs: LayerInputs, contacts: Set<String>) -> Bool {
        switch target.kind {
        case "contact":
            return contacts.contains(target.ref)
        case "group":
            guard let group = graph.group(target.ref) else { return false }
            return group.members.contains { contacts.contains($0) }
        case "schedule":
            guard let index = inputs.schedules.firstIndex(of: target.ref), let who = values.onCall[index] else { return false }
            return contacts.contains(who)
        case "field", "address":
            return true
        case "route":
            return graph.route(target.ref) != nil
        default:
            return false
        }
    }
}
