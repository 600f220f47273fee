import EscalationCore

extension RuleGraph {
    /// The step once for each combination of rows its route targets can pick (one per value of each field the routes
    /// read, and one for "any other value" when a route has a default), with the route targets replaced by the
    /// picked rows' targets; a step without routes comes back alone. At most 256 combinations are made.
    public func routeVariants(of step: CompiledStep) -> [(assumption: String?, step: CompiledStep)] {
        let used = (step.targets + step.cc + step.tasks.compactMap(\.assignee)).filter { $0.kind == "route" }.compactMap { route($0.ref) }
        guard !used.isEmpty else { return [(nil, step)] }
        var values: [String: [String?]] = [:]
        for route in used {
            var known = values[route.field] ?? []
            for key in route.rows.keys.sorted() where !known.contains(key) { known.append(key) }
            if route.fallback != nil, !known.contains(nil) { known.append(nil) }
            values[route.field] = known
        }
        var assignments: [[String: String?]] = [[:]]
        for field in values.keys.sorted() {
            assignments = assignments.flatMap { partial in (values[field] ?? []).map { partial.merging([field: $0]) { $1 } } }
            if assignments.count > 256 { assignments = Array(assignments.prefix(256)) }
        }
        return assignments.map { assignment in
            let fields = assignment.compactMapValues { $0 }
            func expand(_ targets: [CompiledTarget]) -> [CompiledTarget] {
                targets.flatMap { $0.kind == "route" ? (route($0.ref)?.targets(fields: fields) ?? []) : [$0] }
            }
            var variant = step
            variant.targets = expand(step.targets)
            variant.cc = expand(step.cc)
            variant.tasks = step.tasks.map { task in
                var task = task
                if let assignee = task.assignee, assignee.kind == "route" { task.assignee = expand([assignee]).first }
                return task
            }
            let words = assignment.keys.sorted().map { field in
                (assignment[field] ?? nil).map { "\(field) is '\($0)'" } ?? "\(field) has another value"
            }
            return (words.joined(separator: " and "), variant)
        }
    }
}
