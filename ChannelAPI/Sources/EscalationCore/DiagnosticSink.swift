/// Collects diagnostics as a load or check walks a document; never stops at the first.
public final class DiagnosticSink {
    private var items: [Diagnostic] = []
    private var errors = 0

    /// Creates an empty sink.
    public init() {}

    /// Records one diagnostic.
    public func add(_ diagnostic: Diagnostic) {
        items.append(diagnostic)
        if diagnostic.severity == .error { errors += 1 }
    }

    /// Records several diagnostics.
    public func add(contentsOf diagnostics: [Diagnostic]) { diagnostics.forEach(add) }

    /// Everything recorded so far, sorted by location.
    public var diagnostics: [Diagnostic] { items.sorted() }

    /// How many errors have been recorded (a reader compares counts to learn whether reading an item failed).
    public var errorCount: Int { errors }

    /// Whether any error has been recorded.
    public var hasErrors: Bool { errors > 0 }
}
