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

    /// How many errors have been recorded (a reader compares counts to learn whether reading an item failed).
    public var errorCount: Int { items.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }

    /// Whether any error has been recorded.
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
