import EscalationCore

/// `correlate:`: later events for an open incident (same dedup key, or the same value of `key`) are reports appended to
/// it instead of duplicates: the `append` list fields grow and `on: report` steps run.
public struct Correlation: Sendable {
    /// The field whose value joins events to the open incident (nil: the dedup key).
    public var key: Located<String>?
    /// List fields that gain the items a report brings.
    public var append: [Located<String>]
    /// Where `correlate:` is written.
    public var location: SourceLocation
}
