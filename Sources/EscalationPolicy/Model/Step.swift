import EscalationCore

/// Notify people and/or add tasks; layers add timing to a step, hooks are lists of steps.
public struct Step: Sendable {
    /// The step id (required on layers).
    public var id: Located<String>?
    /// Display name.
    public var name: String?
    /// Run only if this holds when the step starts.
    public var when: Condition?
    /// Who is told.
    public var notify: [Target]
    /// Ordered channels with fallback; empty means each contact's preferences.
    public var via: [ChannelStep]
    /// Copied recipients.
    public var cc: [Target]
    /// The message template.
    public var template: Located<String>?
    /// Tasks for people.
    public var tasks: [TaskSpec]
    /// Messages to channels.
    public var posts: [Post]
    /// Where the step is written.
    public var location: SourceLocation
}
