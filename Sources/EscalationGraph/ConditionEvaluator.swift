import EscalationCore
import Foundation

/// Evaluates `when` conditions at an instant, purely: time and incident fields are parameters, the clock is never
/// read. Follows the engine: an undeclared calendar makes `during` and `outside` fail, a missing field fails.
public struct ConditionEvaluator: Sendable {
    /// The compiled organisation whose calendars the conditions name.
    public var graph: RuleGraph
    /// Whether calendar parts look up when the calendar next opens or closes (for explanations; costs a scan).
    public var looksAhead: Bool

    /// Creates an evaluator over a graph.
    public init(graph: RuleGraph, looksAhead: Bool = true) {
        self.graph = graph
        self.looksAhead = looksAhead
    }

    /// Evaluates a condition at `instant`. `fields` nil means no incident yet: field parts are then `unknown`
    /// (and so is an outcome part); with fields, a field that is not given fails. `outcome` is the resolution's.
    public func evaluate(_ condition: CompiledCondition, at instant: Instant, fields: [String: String]?, outcome: String? = nil, seen: [String]? = nil)
        -> ConditionEvaluation
    {
        evaluate(condition, at: instant, fields: fields, outcome: outcome, seen: seen) { $0.isOpen(at: instant) }
    }

    /// `evaluate(_:at:fields:outcome:seen:)`, with whether a calendar is open at `instant` answered by `isOpen`, which
    /// must answer as `CompiledCalendar.isOpen(at: instant)` does (coverage reads it from open spans found in advance).
    public func evaluate(
        _ condition: CompiledCondition, at instant: Instant, fields: [String: String]?, outcome: String? = nil, seen: [String]? = nil,
        isOpen: (CompiledCalendar) -> Bool
    ) -> ConditionEvaluation {
        var checks: [ConditionEvaluation.Check] = []
        if let during = condition.during { checks.append(calendarCheck(.during, during, at: instant, isOpen: isOpen)) }
        if let outside = condition.outside { checks.append(calendarCheck(.outside, outside, at: instant, isOpen: isOpen)) }
        for (name, accepted) in condition.fields.sorted(by: { $0.key < $1.key }) {
            checks.append(valueCheck(.field, name, accepted: accepted, actual: fields?[name], known: fields != nil))
        }
        if !condition.outcome.isEmpty {
            checks.append(valueCheck(.outcome, "outcome", accepted: condition.outcome, actual: outcome, known: fields != nil || outcome != nil))
        }
        for name in condition.seen ?? [] {
            let happened = seen?.contains(name)
            checks.append(
                .init(
                    kind: .seen, subject: name, verdict: happened.map { $0 ? .holds : .fails } ?? .unknown, calendarOpen: nil, nextChange: nil,
                    accepted: [name], actual: nil,
                    detail: happened.map { $0 ? "\(name) has happened" : "\(name) has not happened" } ?? "\(name): unknown until an incident"))
        }
        let verdict: ConditionEvaluation.Verdict =
            checks.contains { $0.verdict == .fails } ? .fails : checks.contains { $0.verdict == .unknown } ? .unknown : .holds
        return ConditionEvaluation(verdict: verdict, checks: checks)
    }

    /// Whether a condition holds for an incident at `instant`: the engine's fast path, with the verdict `evaluate`
    /// gives for the same incident but no explanation built. A field that is not given fails.
    public func holds(_ condition: CompiledCondition, at instant: Instant, fields: [String: String], outcome: String? = nil, seen: [String] = []) -> Bool {
        if let wanted = condition.seen, !wanted.allSatisfy(seen.contains) { return false }
        if let during = condition.during, graph.calendar(during)?.isOpen(at: instant) != true { return false }
        if let outside = condition.outside, graph.calendar(outside)?.isOpen(at: instant) != false { return false }
        for (name, accepted) in condition.fields {
            guard let actual = fields[name], accepted.contains(actual) else { return false }
        }
        if !condition.outcome.isEmpty {
            guard let outcome, condition.outcome.contains(outcome) else { return false }
        }
        return true
    }

    private func calendarCheck(_ kind: ConditionEvaluation.Check.Kind, _ id: String, at instant: Instant, isOpen: (CompiledCalendar) -> Bool)
        -> ConditionEvaluation.Check
    {
        let name = kind == .during ? "during \(id)" : "outside \(id)"
        guard let calendar = graph.calendar(id) else {
            return .init(
                kind: kind, subject: id, verdict: .fails, calendarOpen: nil, nextChange: nil, accepted: [], actual: nil,
                detail: "\(name): calendar '\(id)' is not declared")
        }
        let open = isOpen(calendar)
        let holds = (kind == .during) == open
        var detail = "\(name): \(id) is \(open ? "open" : "closed")"
        var next: Instant?
        if looksAhead {
            next = nextChange(of: calendar, after: instant, open: open)
            let zone = ZonedTime.zone(graph.timezone) ?? ZonedTime.utc
            if let next {
                detail += " (\(open ? "until" : "opens") \(ZonedTime.display(next, in: zone)))"
            } else if !open {
                detail += " (does not open in the next 8 weeks)"
            }
        }
        return .init(
            kind: kind, subject: id, verdict: holds ? .holds : .fails, calendarOpen: open, nextChange: next, accepted: [],
            actual: nil, detail: detail)
    }

    /// When an open calendar next closes, or a closed one next opens, within 8 weeks (nil when it does not).
    private func nextChange(of calendar: CompiledCalendar, after instant: Instant, open: Bool) -> Instant? {
        let horizon = instant.adding(seconds: 56 * 86_400)
        let spans = calendar.openSpans(from: instant, to: horizon)
        if open { return spans.first.map(\.end).flatMap { $0 < horizon ? $0 : nil } }
        return spans.first?.start
    }

    private func valueCheck(_ kind: ConditionEvaluation.Check.Kind, _ name: String, accepted: [String], actual: String?, known: Bool)
        -> ConditionEvaluation.Check
    {
        let wanted = accepted.count == 1 ? accepted[0] : "one of \(accepted.joined(separator: ", "))"
        guard known else {
            return .init(
                kind: kind, subject: name, verdict: .unknown, calendarOpen: nil, nextChange: nil, accepted: accepted, actual: nil,
                detail: "\(name) = \(wanted): unknown until an incident")
        }
        guard let actual else {
            return .init(
                kind: kind, subject: name, verdict: .fails, calendarOpen: nil, nextChange: nil, accepted: accepted, actual: nil,
                detail: "\(name) = \(wanted): not given")
        }
        let holds = accepted.contains(actual)
        return .init(
            kind: kind, subject: name, verdict: holds ? .holds : .fails, calendarOpen: nil, nextChange: nil, accepted: accepted,
            actual: actual, detail: "\(name) = \(wanted): it is '\(actual)'")
    }
}
