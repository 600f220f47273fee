import EscalationGraph
import EscalationCore
import Foundation

/// Explains what a policy would do for an incident at an instant: for each layer (as if it started then), whether
/// its `when` holds and whom its targets reach and why, with channels. Pure: the instant is a parameter.
public struct PolicyExplainer: Sendable {
    /// The compiled organisation.
    public var graph: RuleGraph

    /// Creates an explainer over a graph.
    public init(graph: RuleGraph) { self.graph = graph }

    var zone: TimeZone { ZonedTime.zone(graph.timezone) ?? ZonedTime.utc }

    /// The explanation of `policy` at `instant` for an incident with these fields.
    public func explain(_ policy: CompiledPolicy, at instant: Instant, fields: [String: String]) -> PolicyExplanation {
        let evaluator = ConditionEvaluator(graph: graph)
        let resolver = TargetResolver(graph: graph)
        let ladder = policy.ladder
        let layers = ladder.map { layer -> PolicyExplanation.Layer in
            // The first alternative whose condition holds runs (a layer without `choose` has one alternative).
            let evaluations = layer.choices.map { choice in choice.condition.map { evaluator.evaluate($0, at: instant, fields: fields) } }
            let chosenIndex = evaluations.firstIndex { $0?.holds ?? true }
            let shown = chosenIndex ?? 0
            let choice = layer.choices[shown]
            let step = choice.step
            let evaluation = evaluations[shown]
            let resolved = resolver.resolve(step, at: instant, fields: fields, policy: policy)
            let assignees = step.tasks.map { task in task.assignee.map { resolver.resolve($0, at: instant, fields: fields, policy: policy) } }
            let alternatives = layer.isChoice
                ? zip(layer.choices, evaluations).enumerated().map { number, pair -> String in
                    let (choice, evaluation) = pair
                    let mark = number == chosenIndex ? " ← chosen" : ""
                    let condition = choice.condition.map { "when \(Self.describe($0)): \(evaluation?.verdict.rawValue ?? "holds")" } ?? "otherwise"
                    return "\(number + 1). \(choice.step.alternative ?? choice.node): \(condition)\(mark)"
                } : nil
            return PolicyExplanation.Layer(
                number: layer.number, id: layer.id, name: layer.name, runs: chosenIndex != nil,
                condition: choice.condition.map(Self.describe), verdict: evaluation?.verdict.rawValue,
                checks: evaluation?.checks.map(check) ?? [], notify: resolved.notify.map(target), cc: resolved.cc.map(target),
                tasks: zip(step.tasks, assignees).map { task, assignee in
                    PolicyExplanation.Task(title: task.title, per: task.per, assignee: assignee.map(target))
                },
                posts: step.posts.map { post in
                    guard let id = post.route, let route = graph.route(id) else { return "\(post.channel) (\(post.template))" }
                    let picked = route.channel(fields: fields) ?? "no channel"
                    return "route:\(id) (\(route.field) = \(fields[route.field] ?? "(not given)") → \(picked)) (\(post.template))"
                }, template: step.template,
                next: next(after: layer, in: policy, last: layer.number == ladder.count), reachesAnyone: resolved.reachesAnyone,
                alternatives: alternatives)
        }
        var notes: [String] = []
        let missing = policy.fields.filter { $0.required && (fields[$0.name] ?? "").isEmpty }.map(\.name)
        if !missing.isEmpty {
            notes.append("required \(missing.count == 1 ? "field" : "fields") not given (a trigger would be refused): \(missing.joined(separator: ", "))")
        }
        if !layers.contains(where: { $0.runs && $0.reachesAnyone }) {
            notes.append("no layer that runs at this instant reaches anyone")
        }
        if let repeatNode = policy.nodes.first(where: { $0.kind == .repeat }), let rule = repeatNode.repeatRule {
            notes.append("the ladder runs \(rule.times) more \(rule.times == 1 ? "time" : "times") after the last layer (after \(rule.after))")
        }
        return PolicyExplanation(
            organisation: graph.organisation, timezone: graph.timezone, policy: policy.id, name: policy.name,
            at: ZonedTime.iso8601(instant, in: zone), atDisplay: ZonedTime.display(instant, in: zone), fields: fields, layers: layers,
            notes: notes)
    }

    /// When the ladder moves on after a layer, in words.
    private func next(after layer: LadderLayer, in policy: CompiledPolicy, last: Bool) -> String {
        if let wait = layer.wait {
            switch wait.kind {
            case .anchor: return "next layer at \(wait) unless acknowledged"
            case .business: return "next layer after \(wait)\(wait.calendar.map { " on calendar \($0)" } ?? "") unless acknowledged"
            case .duration: return "next layer after \(wait) unless acknowledged"
            }
        }
        guard last else { return "next layer at once" }
        return policy.nodes.contains { $0.kind == .repeat } ? "repeat the ladder" : "end of the ladder"
    }

    private func check(_ check: ConditionEvaluation.Check) -> PolicyExplanation.Check {
        PolicyExplanation.Check(
            kind: check.kind.rawValue, subject: check.subject, verdict: check.verdict.rawValue, calendarOpen: check.calendarOpen,
            nextChange: check.nextChange.map { ZonedTime.iso8601($0, in: zone) }, detail: check.detail)
    }

    private func target(_ resolved: ResolvedTarget) -> PolicyExplanation.Target {
        PolicyExplanation.Target(
            target: resolved.target.description, contacts: resolved.recipients.map(contact), pending: resolved.pendingField,
            problem: resolved.problem, route: resolved.route)
    }

    private func contact(_ recipient: Recipient) -> PolicyExplanation.Contact {
        var contact = PolicyExplanation.Contact(
            id: recipient.contact, name: recipient.name, canAcknowledge: recipient.canAcknowledge, reasonKind: "contact",
            reason: recipient.reason.describe(in: zone),
            channels: recipient.channels.map { use in
                if let wait = use.unansweredSeconds { return "\(use.written) if unanswered within \(PolicyDuration.compact(wait) ?? "0s")" }
                return use.afterSeconds > 0 ? "\(use.written) after \(PolicyDuration.compact(use.afterSeconds) ?? "0s")" : use.written
            },
            channelSource: recipient.channelSource.rawValue, droppedChannels: recipient.droppedChannels)
        switch recipient.reason {
        case .direct: break
        case .member(let group):
            contact.reasonKind = "group"
            contact.group = group
        case .rotation(let schedule, let shift, let from, let to):
            contact.reasonKind = "rotation"
            contact.schedule = schedule
            contact.shift = shift
            contact.from = ZonedTime.iso8601(from, in: zone)
            contact.to = ZonedTime.iso8601(to, in: zone)
        case .override(let schedule, let from, let to):
            contact.reasonKind = "override"
            contact.schedule = schedule
            contact.from = ZonedTime.iso8601(from, in: zone)
            contact.to = ZonedTime.iso8601(to, in: zone)
        case .field(let name):
            contact.reasonKind = "field"
            contact.field = name
        }
        return contact
    }

    /// A condition in words: `during office and severity = critical|major`.
    public static func describe(_ condition: CompiledCondition) -> String { condition.words() }
}
