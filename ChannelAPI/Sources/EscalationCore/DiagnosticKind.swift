/// A kind of problem with a stable id, code and default severity; lint rules and the loader share these.
public struct DiagnosticKind: Hashable, Sendable {
    /// Stable snake_case id, e.g. `unknown_key`.
    public var id: String
    /// Stable code, e.g. `E003`.
    public var code: String
    /// The severity the kind reports with.
    public var severity: Severity

    /// Creates a kind.
    public init(id: String, code: String, severity: Severity) {
        self.id = id
        self.code = code
        self.severity = severity
    }

    /// A diagnostic of this kind.
    public func callAsFunction(_ message: String, at location: SourceLocation?, hint: String? = nil) -> Diagnostic {
        Diagnostic(severity: severity, rule: id, code: code, message: message, location: location, hint: hint)
    }
}
