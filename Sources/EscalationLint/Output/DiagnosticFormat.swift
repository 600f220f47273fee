/// The output formats of `escalate lint`.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// `path:line:col: error: message [rule_id]` with hints, then a summary.
    case text
    /// One JSON document with every diagnostic and a summary.
    case json
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    case github
    /// SARIF 2.1.0, for code-scanning tools.
    case sarif
}
