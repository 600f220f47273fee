extension CompiledCondition {
    /// The condition in words, the one place conditions are put into words: `during office and severity = critical|major`.
    /// `or` separates a field's accepted values (`|` in reports, ` or ` in pictures); `empty` is said when there
    /// is nothing to check.
    public func words(or: String = "|", empty: String = "always") -> String {
        var parts: [String] = []
        if let during { parts.append("during \(during)") }
        if let outside { parts.append("outside \(outside)") }
        for (field, values) in fields.sorted(by: { $0.key < $1.key }) {
            parts.append("\(field) = \(values.joined(separator: or))")
        }
        if !outcome.isEmpty { parts.append("outcome = \(outcome.joined(separator: or))") }
        if let seen, !seen.isEmpty { parts.append("after \(seen.joined(separator: " and "))") }
        return parts.isEmpty ? empty : parts.joined(separator: " and ")
    }
}
