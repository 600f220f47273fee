import EscalationCore

extension CompiledPolicy {
    /// The layers of the ladder in order, each with its branch condition and wait timer.
    public var ladder: [LadderLayer] {
        var result: [LadderLayer] = []
        for node in nodes where (node.kind == .notify || node.kind == .task) && node.layer != nil {
            guard let id = node.layer, let step = node.step else { continue }
            result.append(
                LadderLayer(
                    number: result.count + 1, id: id, name: step.name, condition: self.node("\(node.id)/when")?.condition, step: step,
                    wait: self.node("\(node.id)/wait")?.wait))
        }
        return result
    }
}
