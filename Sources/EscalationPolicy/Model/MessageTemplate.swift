import EscalationCore

/// A message: subject and body with `{{ variable }}` placeholders.
public struct MessageTemplate: Sendable {
    /// The template id.
    public var id: Located<String>
    /// The subject line.
    public var subject: Located<String>?
    /// The body.
    public var body: Located<String>
    /// Every `{{ … }}` variable in subject and body, with its own location.
    public var variables: [Located<String>]
}
