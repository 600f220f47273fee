import EscalationCore

/// The one place that decides which policy takes an event and whether the event opens an incident.
/// `simulate`, `serve`, `route` and `explain` all call it, so a rehearsal takes the same decision as production.
///
/// Rules: a policy named by the caller takes the event (it must exist). Otherwise each policy whose `match`
/// holds (every field equal to one of its values; no `match` takes everything) is a candidate, the highest
/// `priority` wins, then file order; when none matches the event is refused — even when the organisation has only
/// one policy. A policy with a `threshold` opens an incident only when `count` events have arrived within
/// `within`, unless this event matches `unless`.
public struct PolicyRouter: Sendable {
    /// The compiled organisation.
    public var graph: RuleGraph

    /// Creates a router over a graph.
    public init(graph: RuleGraph) { self.graph = graph }

    /// The policy that takes an event: the named one, else the best match.
    public func choose(policy named: String?, fields: [String: String]) -> Result<String, RoutingFailure> {
        let ids = graph.policies.map(\.id)
        if let named {
            guard graph.policy(named) != nil else {
                return .failure(RoutingFailure(.unknownPolicy(named), organisation: graph.organisation, policies: ids))
            }
            return .success(named)
        }
        guard let winner = winner(fields) else {
            return .failure(RoutingFailure(graph.policies.isEmpty ? .noPolicies : .noMatch, organisation: graph.organisation, policies: ids))
        }
        return .success(winner)
    }

    /// Whether an event for `policy` opens an incident now, given the instants of the earlier events that count
    /// towards its threshold (those not yet consumed by an opening). Pure: the caller keeps the events.
    public func admit(policy id: String, fields: [String: String], earlier: [Instant], now: Instant) -> Admission {
        guard let threshold = graph.policy(id)?.threshold, threshold.count > 1 else { return .open(reason: nil) }
        if !threshold.unless.isEmpty, Self.checks(threshold.unless, fields).allSatisfy(\.holds) {
            return .open(reason: "the event matches the threshold's 'unless', so it opens at once")
        }
        let recent = earlier.filter { now.seconds(since: $0) < threshold.withinSeconds && $0 <= now }.count
        let within = PolicyDuration.compact(threshold.withinSeconds) ?? "\(threshold.withinSeconds)s"
        if recent + 1 >= threshold.count {
            return .open(reason: "\(recent + 1) events within \(within) reached the threshold of \(threshold.count)")
        }
        return .wait(count: recent + 1, needed: threshold.count - recent - 1, withinSeconds: threshold.withinSeconds)
    }

    /// The policy whose match holds with the highest priority, then first in file order (the rule `route` explains;
    /// this is its fast path for every trigger, without the words).
    func winner(_ fields: [String: String]) -> String? {
        var best: CompiledPolicy?
        for policy in graph.policies where policy.match.allSatisfy({ fields[$0.key].map($0.value.contains) ?? false }) {
            if best.map({ policy.priority > $0.priority }) ?? true { best = policy }
        }
        return best?.id
    }

    /// The decision for an incident with these fields, every candidate explained.
    public func route(_ fields: [String: String]) -> RoutingDecision {
        let candidates = graph.policies.enumerated().map { index, policy in candidate(policy, order: index + 1, fields: fields) }
        let matching = candidates.filter(\.matches)
        guard let winner = matching.max(by: { ($0.priority, -$0.order) < ($1.priority, -$1.order) }) else {
            return RoutingDecision(
                organisation: graph.organisation, fields: fields, candidates: candidates, winner: nil,
                reason: graph.policies.isEmpty ? "the organisation has no policies" : "no policy's match holds for these fields")
        }
        let others = matching.filter { $0.policy != winner.policy }
        let tied = others.filter { $0.priority == winner.priority }.map { "'\($0.policy)'" }
        let reason: String
        if others.isEmpty {
            reason = "'\(winner.policy)' is the only policy whose match holds"
        } else if !tied.isEmpty {
            reason =
                "\(others.count + 1) policies match; '\(winner.policy)' and \(tied.joined(separator: ", ")) share the highest priority (\(winner.priority)) and '\(winner.policy)' comes first in file order"
        } else {
            let beaten = others.map { "'\($0.policy)' \($0.priority)" }.joined(separator: ", ")
            reason = "\(others.count + 1) policies match; '\(winner.policy)' has the highest priority (\(winner.priority); \(beaten))"
        }
        return RoutingDecision(organisation: graph.organisation, fields: fields, candidates: candidates, winner: winner.policy, reason: reason)
    }

    private func candidate(_ policy: CompiledPolicy, order: Int, fields: [String: String]) -> RoutingDecision.Candidate {
        let checks = Self.checks(policy.match, fields)
        var threshold: String?
        if let rule = policy.threshold {
            var text = "opens only after \(rule.count) matching events within \(PolicyDuration.compact(rule.withinSeconds) ?? "0s")"
            if !rule.unless.isEmpty {
                let unless = Self.checks(rule.unless, fields)
                let words = CompiledCondition.when(fields: rule.unless).words()
                text += unless.allSatisfy(\.holds)
                    ? "; this event matches 'unless' (\(words)), so it opens at once"
                    : "; 'unless' (\(words)) does not hold, so this event counts towards the threshold"
            }
            threshold = text
        }
        return RoutingDecision.Candidate(
            policy: policy.id, name: policy.name, order: order, priority: policy.priority, matches: checks.allSatisfy(\.holds),
            checks: checks, threshold: threshold,
            missingRequired: policy.fields.filter { $0.required && (fields[$0.name] ?? "").isEmpty }.map(\.name))
    }

    /// A match map checked against fields, by field name.
    static func checks(_ match: [String: [String]], _ fields: [String: String]) -> [RoutingDecision.FieldCheck] {
        match.sorted { $0.key < $1.key }.map { field, accepted in
            RoutingDecision.FieldCheck(
                field: field, accepted: accepted, actual: fields[field], holds: fields[field].map(accepted.contains) ?? false)
        }
    }
}
