/// Whether the person a delivery reached answered it (a phone call picked up or not), for plugins that can tell.
///
/// A plugin with the `answers` capability puts it on the receipt; the core turns it into an event, so a policy's
/// `unanswered:` channel follows at once when the recipient did not answer. Nil on a receipt: not known (yet).
public enum DeliveryAnswer: String, Sendable, Hashable, Codable, CaseIterable {
    /// The recipient answered (the call was picked up).
    case answered
    /// The delivery reached the far side but nobody answered (no answer, busy).
    case unanswered
}
