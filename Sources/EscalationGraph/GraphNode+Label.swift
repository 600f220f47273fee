extension GraphNode {
    /// A short label for pictures and timeline notes, derived from what the node does. It is not stored in the
    /// graph, so rewording a label never changes a policy's version hash.
    public var label: String {
        switch kind {
        case .start: return "triggered"
        case .branch: return condition?.words(empty: "when") ?? "when"
        case .notify, .task: return step?.alternative ?? step?.name ?? layer ?? id
        case .wait: return wait.map { "wait \($0)" } ?? "wait"
        case .repeat: return repeatRule.map { "repeat ×\($0.times)" } ?? "repeat"
        case .end: return id.hasPrefix("end:") ? String(id.dropFirst(4)) : id
        case .stage: return "stage \(id.hasPrefix("stage:") ? String(id.dropFirst(6)) : id)"
        case .action: return "action \(id.hasPrefix("action:") ? String(id.dropFirst(7)) : id)"
        }
    }
}
