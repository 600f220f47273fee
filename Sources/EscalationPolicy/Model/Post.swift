import EscalationCore

/// A message to a channel that is not a person's address (e.g. a status banner).
public struct Post: Sendable {
    /// The channel id.
    public var channel: Located<String>
    /// The template id.
    public var template: Located<String>
}
