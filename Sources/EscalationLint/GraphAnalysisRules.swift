/// Rules that analyse the compiled rule graph (reachability, bounds, coverage); registered with `RuleRegistry`.
public enum GraphAnalysisRules {
    /// All graph analysis rule types.
    public static let all: [any PolicyRule.Type] = [
        CoverageGapRule.self,
        UnreachableLayerRule.self,
        ZeroTimeoutRule.self,
        NoAcknowledgerRule.self,
        TargetAckExceededRule.self,
    ]
}
