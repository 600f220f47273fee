import EscalationCore

extension CompiledPolicy {
    /// The layers of the ladder in order, each with its alternatives (condition and step) and wait timer.
    public var ladder: [LadderLayer] {
        var result: [LadderLayer] = []
        for node in nodes where (node.kind == .notify || node.kind == .task) && node.layer != nil {
            guard let id = node.layer, let step = node.step else { continue }
            let choice = LadderLayer.Choice(node: node.id, condition: self.node("\(node.id)/when")?.condition, step: step)
            if let last = result.last, last.id == id {
                result[result.count - 1].choices.append(choice)
                continue
            }
            result.append(
                LadderLayer(
                    number: result.count + 1, id: id, name: step.name, choices: [choice], wait: self.node("layer:\(id)/wait")?.wait))
        }
        return result
    }
}
