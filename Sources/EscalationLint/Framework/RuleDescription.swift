import EscalationCore

/// A rule's documentation, which doubles as its test: triggering and non-triggering YAML examples.
public struct RuleDescription: Sendable {
    /// Id, code and severity.
    public var kind: DiagnosticKind
    /// A short title.
    public var name: String
    /// Why the rule exists and what it checks.
    public var summary: String
    /// Examples that must not trigger the rule (and must lint clean).
    public var nonTriggeringExamples: [RuleExample]
    /// Examples that must trigger it; `↓` marks each expected location.
    public var triggeringExamples: [RuleExample]

    /// Creates a description.
    public init(
        kind: DiagnosticKind, name: String, summary: String,
        nonTriggeringExamples: [RuleExample], triggeringExamples: [RuleExample]
    ) {
        self.kind = kind
        self.name = name
        self.summary = summary
        self.nonTriggeringExamples = nonTriggeringExamples
        self.triggeringExamples = triggeringExamples
    }

    /// The stable id.
    public var id: String { kind.id }
}
