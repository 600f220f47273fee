import EscalationGraph
import EscalationCore

extension PolicyExplanation {
    /// The explanation as text for people, one block per layer.
    public var text: String {
        var lines: [String] = []
        lines.append("policy \(policy) (\(name)) in \(organisation)")
        lines.append("at \(atDisplay) (\(at)), each layer as if it started then")
        let given = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.append("fields: \(given.isEmpty ? "none" : given.joined(separator: ", "))")
        for layer in layers {
            lines.append("")
            let title = "\(layer.number). \(layer.id)\(layer.name.map { " (\($0))" } ?? "")"
            let status: String
            if !layer.runs {
                status = "skipped"
            } else if layer.reachesAnyone {
                status = "runs"
            } else {
                status = "runs, reaches nobody"
            }
            lines.append("\(title): \(status)")
            for alternative in layer.alternatives ?? [] { lines.append("   alternative \(alternative)") }
            if let condition = layer.condition {
                lines.append("   when \(condition): \(layer.verdict ?? "holds")")
                for check in layer.checks { lines.append("     \(check.detail)") }
            }
            guard layer.runs else { continue }
            for target in layer.notify { lines += Self.lines(target, label: "notify") }
            for target in layer.cc { lines += Self.lines(target, label: "cc") }
            for task in layer.tasks {
                let per = task.per.map { " (one per \($0))" } ?? ""
                if let assignee = task.assignee {
                    lines += Self.lines(assignee, label: "task \"\(task.title)\"\(per), assignee")
                } else {
                    lines.append("   task \"\(task.title)\"\(per), no assignee")
                }
            }
            for post in layer.posts { lines.append("   post to \(post)") }
            if let template = layer.template { lines.append("   template \(template)") }
            lines.append("   then: \(layer.next)")
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "note: \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func lines(_ target: Target, label: String) -> [String] {
        var lines = ["   \(label) \(target.target)\(target.route.map { " (\($0))" } ?? "")"]
        for contact in target.contacts {
            let shared = contact.canAcknowledge ? "" : "; shared, cannot acknowledge"
            let via: String
            if contact.channels.isEmpty {
                via = "no channel reaches them"
            } else {
                let source = contact.channelSource == "step" ? "" : " (\(contact.channelSource == "preferences" ? "their preferences" : "first channel with an address"))"
                via = "via \(contact.channels.joined(separator: ", "))\(source)"
            }
            let dropped = contact.droppedChannels.isEmpty ? "" : "; no address for \(contact.droppedChannels.joined(separator: ", "))"
            lines.append("     → \(contact.id) (\(contact.name)\(shared)): \(contact.reason); \(via)\(dropped)")
        }
        if target.pending { lines.append("     → whoever the incident names (unknown until an incident)") }
        if let problem = target.problem {
            lines.append("     → \(target.contacts.isEmpty ? "nobody: " : "")\(problem)")
        }
        return lines
    }
}
