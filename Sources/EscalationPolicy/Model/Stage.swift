import EscalationCore

/// A status message posted when the incident reaches a stage, optionally taken down after `expires`.
public struct Stage: Sendable {
    /// What moves the incident into the stage.
    public enum Trigger: String, Sendable, CaseIterable {
        case trigger, acknowledge, signal, resolve
    }

    /// The stage id.
    public var id: Located<String>
    /// What enters it.
    public var on: Located<Trigger>
    /// The signal name when `on` is `signal`.
    public var signal: Located<String>?
    /// Where the message goes.
    public var channel: Located<String>
    /// The message.
    public var template: Located<String>
    /// Take the message down after this long.
    public var expires: Located<PolicyDuration>?
    /// Post only if this other stage's message was posted earlier in the incident (e.g. "resolved" on the status
    /// page only if the issue was put there).
    public var ifPosted: Located<String>? = nil
    /// Fields that must have a value when the stage is entered; a signal entering it without them is refused.
    public var requires: [Located<String>] = []
    /// The route whose channel rows pick the channel (`channel: { route: R }`); `channel` then holds the route id.
    public var route: Located<String>? = nil
}
