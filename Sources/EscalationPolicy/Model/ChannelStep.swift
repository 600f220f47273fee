import EscalationCore

/// One item in an ordered list of channels: one channel, or a group sent on all its channels at once (`all:`). It is
/// used `after` this long, or when the previous item fails, or (with `unanswered`) when the previous item fails or
/// is not answered within that long.
public struct ChannelStep: Sendable {
    /// The channel id (a group's first channel).
    public var channel: Located<String>
    /// Delay from the start of the notification.
    public var after: Located<PolicyDuration>?
    /// A group's channels, all used at once (`all: [sms, email]`); nil for one channel.
    public var all: [Located<String>]?
    /// Use this item when the previous one is not answered within this long (or fails); nil when it has no such wait.
    public var unanswered: Located<PolicyDuration>?

    /// An item from its parts.
    public init(channel: Located<String>, after: Located<PolicyDuration>? = nil, all: [Located<String>]? = nil, unanswered: Located<PolicyDuration>? = nil) {
        self.channel = channel
        self.after = after
        self.all = all
        self.unanswered = unanswered
    }

    /// Every channel the item uses: a group's channels, else its one channel.
    public var channels: [Located<String>] { all ?? [channel] }
}
