/// A channel item's members, and the item kept for a recipient.
extension ChannelUse {
    /// Every channel the item uses at once: a group's channels, else its one channel.
    public var channels: [String] { all ?? [channel] }

    /// Whether the item is a group (`all:`), whose deliveries have keys `N/i.m`.
    public var isGroup: Bool { all != nil }

    /// The item with only the channels `keep` accepts (a group keeps its order); nil when none is left.
    public func keeping(_ keep: (String) -> Bool) -> ChannelUse? {
        guard let all else { return keep(channel) ? self : nil }
        let kept = all.filter(keep)
        guard let first = kept.first else { return nil }
        var use = self
        use.channel = first
        use.all = kept
        return use
    }

    /// The channels as written: `sms`, or `all: [sms, email]`.
    public var written: String { all.map { "all: [\($0.joined(separator: ", "))]" } ?? channel }
}
