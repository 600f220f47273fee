import EscalationCore

/// A `when:` condition; it holds when every part holds.
public struct Condition: Sendable {
    /// Inside this calendar's open hours.
    public var during: Located<String>?
    /// Outside this calendar's open hours.
    public var outside: Located<String>?
    /// Field equalities.
    public var fields: [FieldMatch]
    /// Resolution outcomes (in `on.resolve` only).
    public var outcome: [Located<String>]
    /// Signals received or stages posted so far, all of which must have happened.
    public var seen: [Located<String>] = []
    /// Where the condition is written.
    public var location: SourceLocation
}
