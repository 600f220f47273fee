/// One immutable value behind a reference, for the engine's tables: a lookup copies one pointer instead of every
/// reference inside the value (a `GraphNode` holds its step, condition and wait: about 20), and a caller reads the
/// parts it needs from the shared value in place.
final class Shared<Value: Sendable>: Sendable {
    /// The value.
    let value: Value

    /// Shares `value`.
    init(_ value: Value) { self.value = value }
}
