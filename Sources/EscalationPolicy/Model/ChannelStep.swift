import EscalationCore

/// One channel in an ordered list: use it `after` this long, or at once when the previous one fails.
public struct ChannelStep: Sendable {
    /// The channel id.
    public var channel: Located<String>
    /// Delay from the start of the notification.
    public var after: Located<PolicyDuration>?
}
