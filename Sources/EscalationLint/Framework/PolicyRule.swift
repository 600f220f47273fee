import EscalationCore
import EscalationPolicy

/// A lint rule: a stable id and code, a description, examples that are also its tests, and a check.
public protocol PolicyRule: Sendable {
    /// What the rule is, with its triggering and non-triggering examples.
    static var description: RuleDescription { get }
    /// Creates the rule.
    init()
    /// The problems this rule finds in one organisation.
    func validate(_ context: LintContext) -> [Diagnostic]
}

extension PolicyRule {
    /// The rule's kind (id, code, severity).
    public var kind: DiagnosticKind { Self.description.kind }
}

/// A rule whose problems the loader finds while reading YAML; the rule documents and reports them.
public protocol LoaderRule: PolicyRule {}

extension LoaderRule {
    /// The loader's diagnostics of this rule's kind.
    public func validate(_ context: LintContext) -> [Diagnostic] {
        context.loadDiagnostics.filter { $0.rule == Self.description.kind.id }
    }
}
