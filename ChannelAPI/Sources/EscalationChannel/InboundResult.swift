/// What the core made of a reply, handed to `InboundChannel.followUp(_:result:)`.
public struct InboundResult: Sendable, Hashable {
    /// Whether the command was carried out.
    public var acted: Bool
    /// What was done, when it was (`acknowledged`, `resolved`, `escalated`, `snoozed for 30 minutes`, `signalled deployed`).
    public var action: String?
    /// The display name of the contact who answered, when the sender is known.
    public var by: String?
    /// The incident's status afterwards (`open`, `acknowledged`, `resolved`), when an incident was named.
    public var status: String?
    /// What the sender was told.
    public var text: String

    /// Creates a result.
    public init(acted: Bool, action: String? = nil, by: String? = nil, status: String? = nil, text: String) {
        self.acted = acted
        self.action = action
        self.by = by
        self.status = status
        self.text = text
    }
}
