/// What a plugin made of an inbound request.
public enum InboundOutcome: Sendable {
    /// A verified answer for the core to act on.
    case reply(InboundReply)
    /// Not genuine (a missing or bad signature, a stale timestamp) or not readable: answered with `status` (403,
    /// 400) and logged with `reason`; nothing acts.
    case refused(status: Int, reason: String)
    /// Genuine but nothing to act on (a status callback without a keypress, a provider's handshake): answered with
    /// this response as it is.
    case answered(InboundResponse)
    /// Genuine news of a delivery (a call's status callback: picked up, or no answer / busy): the core finds the
    /// delivery of the incident named by `reference` whose receipt is `externalID` and hands the engine the answer,
    /// so an `unanswered:` channel follows at once; then answers the provider with `respond(nil)`.
    case delivery(reference: String?, externalID: String, answer: DeliveryAnswer)
}
