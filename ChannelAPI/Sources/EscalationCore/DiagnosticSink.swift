/// Collects diagnostics as a load or check walks a document; never stops at the first.
public final class DiagnosticSink {
    private var items: [Diagnostic] = []

    /// Creates an empty sink.
    public init() {}

    /// Records one diagnostic.
    public func add(_ diagnostic: Diagnostic) { items.append(diagnostic) }

    /// Records several diagnostics.
    public func add(contentsOf diagnostics: [Diagnostic]) { items.append(contentsOf: diagnostics) }

    /// Everything recorded so far, sorted by location.
    public var diagnostics: [Diagnostic] { items.sorted() }

    /// Whether any error has been recorded.
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
