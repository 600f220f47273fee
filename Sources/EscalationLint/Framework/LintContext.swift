import EscalationCore
import EscalationPolicy

/// What a rule sees: one loaded organisation and the loader's diagnostics for it.
public struct LintContext: Sendable {
    /// The organisation.
    public var organisation: Organisation
    /// What the loader reported while reading it.
    public var loadDiagnostics: [Diagnostic]

    /// Creates a context.
    public init(organisation: Organisation, loadDiagnostics: [Diagnostic]) {
        self.organisation = organisation
        self.loadDiagnostics = loadDiagnostics
    }
}
