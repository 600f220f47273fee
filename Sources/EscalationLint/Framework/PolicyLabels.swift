import EscalationCore
import EscalationPolicy

/// One policy's labelled steps, targets and route uses, built once per lint context for every rule that asks.
public struct PolicyLabels: Sendable {
    /// The policy.
    public let policy: Policy
    /// `policy.labelledSteps`.
    public let steps: [(label: String, step: Step)]
    /// `policy.labelledTargets`.
    public let targets: [(label: String, target: Target)]
    /// `policy.routeUses`.
    public let routeUses: [(label: String, route: Located<String>, picksChannel: Bool)]

    /// Builds the lists of `policy`, each once.
    public init(_ policy: Policy) {
        self.policy = policy
        steps = policy.labelledSteps
        targets = Policy.labelledTargets(of: steps)
        routeUses = policy.routeUses(steps: steps, targets: targets)
    }
}
