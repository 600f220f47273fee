import EscalationCore

/// Something switched on when the incident triggers (an away message) and undone when it resolves.
public struct PolicyAction: Sendable {
    /// When the action is undone.
    public enum Undo: String, Sendable, CaseIterable {
        case resolve, never
    }

    /// The action id.
    public var id: Located<String>
    /// The channel that applies it.
    public var channel: Located<String>
    /// What it says.
    public var template: Located<String>
    /// When it is undone.
    public var undo: Undo
}
