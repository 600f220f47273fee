import EscalationCore

/// A table that picks whom to reach by the value of an incident field (`routes:`), used as `{ route: ID }` in a target.
public struct RouteTable: Sendable {
    /// One row: a field value and the targets it picks.
    public struct Entry: Sendable {
        /// The field value.
        public var value: Located<String>
        /// Whom it reaches (contacts, groups, schedules); empty for a channel row.
        public var targets: [Target]
        /// The channel it picks (`{ channel: ID }`), for routes used as a post's or stage's channel.
        public var channel: Located<String>? = nil
    }

    /// The route id.
    public var id: Located<String>
    /// The incident field whose value picks the row.
    public var by: Located<String>
    /// The rows, in declaration order.
    public var entries: [Entry]
    /// Whom to reach when the value has no row (nil: nobody, which lint reports for enum values).
    public var fallback: [Target]?
    /// Where `to:` is written.
    public var toLocation: SourceLocation?
    /// The channel for a value without a row (channel routes).
    public var fallbackChannel: Located<String>? = nil

    /// Whether its rows pick channels (for posts and stages) rather than people.
    public var picksChannels: Bool { entries.contains { $0.channel != nil } || fallbackChannel != nil }
    /// Every channel the table names, with the row it is in.
    public var labelledChannels: [(row: String, channel: Located<String>)] {
        entries.compactMap { entry in entry.channel.map { ("'\(entry.value.value)'", $0) } } + (fallbackChannel.map { [("default", $0)] } ?? [])
    }

    /// Every target the table names, with the row it is in.
    public var labelledTargets: [(row: String, target: Target)] {
        entries.flatMap { entry in entry.targets.map { ("'\(entry.value.value)'", $0) } } + (fallback ?? []).map { ("default", $0) }
    }
}
