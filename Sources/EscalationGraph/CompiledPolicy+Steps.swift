extension CompiledPolicy {
    /// Every step of the policy: layers (each alternative), reminders, watchdogs, hooks and deadlines.
    public var allSteps: [CompiledStep] {
        var steps: [CompiledStep] = nodes.compactMap(\.step)
        steps += reminders.map { [$0.step] } ?? []
        steps += (watchdogs ?? []).map(\.step)
        steps += hooks.trigger ?? []
        steps += hooks.acknowledge
        steps += hooks.resolve
        steps += hooks.scopeResolved ?? []
        steps += hooks.report ?? []
        steps += hooks.signals.keys.sorted().flatMap { hooks.signals[$0] ?? [] }
        steps += (deadlines ?? []).map(\.step)
        return steps
    }

    /// The ids of the route tables the policy uses: route targets (notify, cc, assignees) and the channel routes of
    /// its posts and stages.
    public var routesUsed: Set<String> {
        var used = Set<String>()
        for step in allSteps {
            for target in step.targets + step.cc + step.tasks.compactMap(\.assignee) where target.kind == "route" { used.insert(target.ref) }
            for post in step.posts { if let route = post.route { used.insert(route) } }
        }
        for stage in stages { if let route = stage.route { used.insert(route) } }
        return used
    }
}
