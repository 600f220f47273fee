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
}
