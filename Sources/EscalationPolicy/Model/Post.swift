import EscalationCore

/// A message to a channel that is not a person's address (e.g. a status banner).
public struct Post: Sendable {
    /// The channel id.
    public var channel: Located<String>
    /// The template id.
    public var template: Located<String>
    /// The route whose channel rows pick the channel by a field's value (`channel: { route: R }`); `channel` then
    /// holds the route id.
    public var route: Located<String>? = nil
}
