import EscalationEngine

/// A verified link: what it does and until when.
struct SignedAction: Sendable, Hashable {
    /// The action, incident and recipient.
    var link: ActionLink
    /// Epoch seconds after which the link no longer works.
    var expires: Int64
    /// Who acts: the recipient, or "link" for a message to a channel.
    var actor: String { link.recipient.isEmpty ? "link" : link.recipient }
}
