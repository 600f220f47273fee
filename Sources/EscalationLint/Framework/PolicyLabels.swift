import EscalationCore
import EscalationPolicy

/// One policy's labelled steps, targets and route uses, built once per lint context for every rule that asks.
///
/// The labels are `LintLabel`s: their text (the same the policy model's eager labels had;
/// `LintLabelsTests` keeps those as its oracle) is written only when a rule reports.
public struct PolicyLabels: Sendable {
    /// The policy.
    public let policy: Policy
    /// Every step: layers, alternatives, reminders, watchdogs, deadlines and hook steps.
    public let steps: [(label: LintLabel, step: Step)]
    /// Every target a step, cc or task names.
    public let targets: [(label: LintLabel, target: Target)]
    /// Every use of a route, and whether it picks a channel (a post's or stage's) or people.
    public let routeUses: [(label: LintLabel, route: Located<String>, picksChannel: Bool)]

    /// Builds the lists of `policy`, each once.
    public init(_ policy: Policy) {
        self.policy = policy
        steps = Self.steps(of: policy)
        targets = Self.targets(of: steps)
        routeUses = Self.routeUses(of: policy, steps: steps, targets: targets)
    }

    /// The policy's steps with their labels: each layer's own step then its alternatives, reminders, watchdogs, deadlines, hooks.
    static func steps(of policy: Policy) -> [(label: LintLabel, step: Step)] {
        let id = policy.id.value
        var result: [(label: LintLabel, step: Step)] = []
        for (index, layer) in policy.layers.enumerated() {
            let label = LintLabel.layer(id: layer.id, index: index, policy: id)
            result.append((label, layer.step))
            for (choice, step) in layer.choices.enumerated() { result.append((.alternative(index: choice, of: label), step)) }
        }
        if let reminders = policy.reminders { result.append((.reminders(policy: id), reminders.step)) }
        for watchdog in policy.watchdogs { result.append((.watchdog(id: watchdog.id?.value ?? "?", policy: id), watchdog.step)) }
        for deadline in policy.deadlines { result.append((.deadline(id: deadline.id, policy: id), deadline.step)) }
        let hooks = policy.hooks
        func append(_ steps: [Step], _ hook: String) {
            for (index, step) in steps.enumerated() { result.append((.hookStep(index: index, hook: hook, policy: id), step)) }
        }
        append(hooks.trigger, "trigger")
        append(hooks.acknowledge, "acknowledge")
        append(hooks.resolve, "resolve")
        append(hooks.report, "report")
        append(hooks.scopeResolved, "scope_resolved")
        for signal in hooks.signals { append(signal.steps, "signal \(signal.name.value)") }
        return result
    }

    /// Each step's notify targets, then its cc ("cc of …"), then its tasks' assignees ("task 't' of …").
    static func targets(of steps: [(label: LintLabel, step: Step)]) -> [(label: LintLabel, target: Target)] {
        var result: [(label: LintLabel, target: Target)] = []
        for (label, step) in steps {
            for target in step.notify { result.append((label, target)) }
            if !step.cc.isEmpty {
                let cc = LintLabel.phrase("cc of ", label)
                for target in step.cc { result.append((cc, target)) }
            }
            for task in step.tasks {
                if let assignee = task.assignee { result.append((.task(title: task.title.value, of: label), assignee)) }
            }
        }
        return result
    }

    /// The route uses: route targets, posts' routes ("a post of …"), then stages' routes.
    static func routeUses(
        of policy: Policy, steps: [(label: LintLabel, step: Step)], targets: [(label: LintLabel, target: Target)]
    ) -> [(label: LintLabel, route: Located<String>, picksChannel: Bool)] {
        var uses: [(label: LintLabel, route: Located<String>, picksChannel: Bool)] = []
        for (label, target) in targets where target.kind == .route { uses.append((label, target.reference, false)) }
        for (label, step) in steps {
            for post in step.posts {
                if let route = post.route { uses.append((.phrase("a post of ", label), route, true)) }
            }
        }
        for stage in policy.stages {
            if let route = stage.route { uses.append((.stage(id: stage.id.value, policy: policy.id.value), route, true)) }
        }
        return uses
    }
}
