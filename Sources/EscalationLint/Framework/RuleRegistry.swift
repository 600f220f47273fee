/// The rules a default linter runs: the built-in model rules and the graph analyses, in code order.
public enum RuleRegistry {
    /// Every rule type.
    public static let all: [any PolicyRule.Type] = BuiltInRules.all + GraphAnalysisRules.all
}
