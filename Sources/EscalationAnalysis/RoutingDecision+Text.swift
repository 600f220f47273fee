import EscalationGraph
import EscalationCore

extension RoutingDecision {
    /// The decision as text: each policy with its match checked field by field, then the winner and why.
    public var text: String {
        var lines: [String] = []
        let given = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.append("organisation \(organisation), incident fields: \(given.isEmpty ? "none" : given.joined(separator: ", "))")
        for candidate in candidates {
            lines.append("")
            let verdict = candidate.matches ? "matches" : "does not match"
            lines.append("\(candidate.order). \(candidate.policy) (\(candidate.name)), priority \(candidate.priority): \(verdict)")
            if candidate.checks.isEmpty { lines.append("   no match: takes every incident") }
            for check in candidate.checks {
                let wanted = check.accepted.count == 1 ? check.accepted[0] : "one of \(check.accepted.joined(separator: ", "))"
                let actual = check.actual.map { "'\($0)'" } ?? "not given"
                lines.append("   \(check.holds ? "✓" : "✗") \(check.field) = \(wanted): \(actual)")
            }
            if let threshold = candidate.threshold { lines.append("   threshold: \(threshold)") }
            if candidate.matches, !candidate.missingRequired.isEmpty {
                lines.append("   required fields not given (a trigger would be refused): \(candidate.missingRequired.joined(separator: ", "))")
            }
        }
        lines.append("")
        if let winner {
            lines.append("→ \(winner) takes the incident: \(reason)")
        } else {
            lines.append("→ no policy takes the incident: \(reason)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
