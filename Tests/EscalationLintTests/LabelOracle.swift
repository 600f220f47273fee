import EscalationCore
import EscalationPolicy

// The labels as the policy model built them eagerly before `LintLabel`, kept here as the oracle `LintLabelsTests`,
// `DeclaredReferencesTests` and `MissingAddressTests` compare the lint's lazy labels with; nothing in `Sources/` reads
// them any more.

extension Policy {
    /// Every step of the policy with a label for messages: layers, reminders and hook steps.
    var labelledSteps: [(label: String, step: Step)] {
        var result: [(String, Step)] = layers.enumerated().flatMap { index, layer in
            let label = "layer '\(layer.id.isEmpty ? "#\(index + 1)" : layer.id)' of policy '\(id.value)'"
            // The layer's own step (for `choose:` its shared tasks and posts), then each alternative as written.
            return [(label, layer.step)] + layer.choices.enumerated().map { ("alternative \($0.offset + 1) of \(label)", $0.element) }
        }
        if let reminders { result.append(("the reminders of policy '\(id.value)'", reminders.step)) }
        result += watchdogs.map { ("watchdog '\($0.id?.value ?? "?")' of policy '\(id.value)'", $0.step) }
        result += deadlines.map { ("deadline '\($0.id)' of policy '\(id.value)'", $0.step) }
        result += hooks.trigger.enumerated().map { ("step \($0.offset + 1) of 'on trigger' in policy '\(id.value)'", $0.element) }
        result += hooks.acknowledge.enumerated().map { ("step \($0.offset + 1) of 'on acknowledge' in policy '\(id.value)'", $0.element) }
        result += hooks.resolve.enumerated().map { ("step \($0.offset + 1) of 'on resolve' in policy '\(id.value)'", $0.element) }
        result += hooks.report.enumerated().map { ("step \($0.offset + 1) of 'on report' in policy '\(id.value)'", $0.element) }
        result += hooks.scopeResolved.enumerated().map { ("step \($0.offset + 1) of 'on scope_resolved' in policy '\(id.value)'", $0.element) }
        for signal in hooks.signals {
            result += signal.steps.enumerated().map {
                ("step \($0.offset + 1) of 'on signal \(signal.name.value)' in policy '\(id.value)'", $0.element)
            }
        }
        return result
    }

    /// Every target a step, cc or task of the policy names, with a label for messages.
    var labelledTargets: [(label: String, target: Target)] { Self.labelledTargets(of: labelledSteps) }

    /// Every target the given labelled steps name (a step's notify, cc and task assignees), with a label for messages.
    static func labelledTargets(of steps: [(label: String, step: Step)]) -> [(label: String, target: Target)] {
        steps.flatMap { label, step in
            step.notify.map { (label, $0) } + step.cc.map { ("cc of \(label)", $0) }
                + step.tasks.compactMap { task in task.assignee.map { ("task '\(task.title.value)' of \(label)", $0) } }
        }
    }
}

extension Organisation {
    /// Every target the policies and route tables name, with a label for messages.
    var labelledTargets: [(label: String, target: Target)] { labelledTargets(policyTargets: policies.map(\.labelledTargets)) }

    /// Every target named, given each policy's `labelledTargets` in order, followed by the route tables' targets.
    func labelledTargets(policyTargets: [[(label: String, target: Target)]]) -> [(label: String, target: Target)] {
        policyTargets.flatMap { $0 }
            + routes.flatMap { route in route.labelledTargets.map { ("row \($0.row) of route '\(route.id.value)'", $0.target) } }
    }
}

extension Policy {
    /// Every use of a route in the policy, with a label, and whether it picks a channel (a post's or stage's) or people.
    var routeUses: [(label: String, route: Located<String>, picksChannel: Bool)] {
        routeUses(steps: labelledSteps, targets: labelledTargets)
    }

    /// `routeUses`, given the policy's `labelledSteps` and `labelledTargets` already built.
    func routeUses(
        steps labelledSteps: [(label: String, step: Step)], targets labelledTargets: [(label: String, target: Target)]
    ) -> [(label: String, route: Located<String>, picksChannel: Bool)] {
        var uses = labelledTargets.filter { $0.target.kind == .route }.map { ($0.label, $0.target.reference, false) }
        for (label, step) in labelledSteps {
            uses += step.posts.compactMap { post in post.route.map { ("a post of \(label)", $0, true) } }
        }
        uses += stages.compactMap { stage in stage.route.map { ("stage '\(stage.id.value)' of policy '\(id.value)'", $0, true) } }
        return uses
    }
}
