import EscalationCore

extension LintContext {
    /// Whether the loader reported an error whose message names `what` (e.g. `group 'leads'`): the item was dropped
    /// or loaded partially, so model rules skip it rather than report a cascade of follow-on problems.
    func loaderReported(_ what: String) -> Bool {
        loadDiagnostics.contains { $0.severity == .error && $0.message.contains(what) }
    }

    /// Whether the loader reported any error, so parts of the model may be missing.
    var hasLoadErrors: Bool { loadDiagnostics.contains { $0.severity == .error } }
}
