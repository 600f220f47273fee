extension CompiledCondition {
    /// A `when` condition: inside or outside a calendar's open hours, field equalities, resolution outcomes.
    public static func when(during: String? = nil, outside: String? = nil, fields: [String: [String]] = [:], outcome: [String] = [])
        -> CompiledCondition
    {
        CompiledCondition(during: during, outside: outside, fields: fields, outcome: outcome)
    }
}
