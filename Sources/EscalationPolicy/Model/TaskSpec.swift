import EscalationCore

/// Work for a person: a title, an assignee, optionally one per item of a list field.
public struct TaskSpec: Sendable {
    /// What to do.
    public var title: Located<String>
    /// Who does it.
    public var assignee: Target?
    /// Details.
    public var description: String?
    /// One task per item of this list field.
    public var per: Located<String>?
}
