import EscalationCore

/// Decides which policy takes an incident: each policy whose `match` holds (every field equal to one of its
/// values; no `match` takes everything) is a candidate; the highest priority wins, then file order.
public struct PolicyRouter: Sendable {
    /// The compiled organisation.
    public var graph: RuleGraph

    /// Creates a router over a graph.
    public init(graph: RuleGraph) { self.graph = graph }

    /// The decision for an incident with these fields.
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
                let words = rule.unless.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.joined(separator: "|"))" }.joined(separator: " and ")
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
