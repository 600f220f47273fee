/// The table printed by `escalate lint --list-rules`.
public enum RuleListing {
    /// One line per rule: code, id, severity, name, then the summary indented.
    public static func render(_ descriptions: [RuleDescription]) -> String {
        let width = descriptions.map(\.id.count).max() ?? 0
        var text = ""
        for rule in descriptions {
            let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
            let severity = rule.kind.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            text += "\(rule.kind.code)  \(id)  \(severity)  \(rule.name)\n      \(rule.summary)\n"
        }
        return text + "\(descriptions.count) rules\n"
    }
}
