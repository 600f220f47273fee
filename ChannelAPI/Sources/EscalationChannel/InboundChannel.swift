import EscalationCore

/// A channel plugin that also takes answers where it pages (SMS replies, keypresses, chat buttons): the core serves
/// `POST /v1/inbound/{channel}` for every channel whose plugin conforms, hands the request to `receive(_:)`, and
/// answers the sender with the text `respond(_:)` formats. The plugin checks the provider's authenticity; the core
/// never names a vendor.
public protocol InboundChannel: NotificationChannel {
    /// The setting holding the secret that verifies the provider's requests (lint reports a channel without it).
    static var inboundSecretSetting: String { get }

    /// Verifies the request and reads the answer out of it; must not act or block on the network.
    func receive(_ request: InboundRequest) -> InboundOutcome

    /// The response that tells the sender `text` (e.g. a TwiML message); nil text answers with nothing to say.
    func respond(_ text: String?) -> InboundResponse

    /// Called once the core has dealt with a reply `receive` returned (acted on it or not), e.g. to edit the
    /// answered message in place to say who acknowledged; it may use the network and must honour its own timeout.
    func followUp(_ reply: InboundReply, result: InboundResult) async
}

extension InboundChannel {
    /// By default the text as plain text (an empty 200 without text).
    public func respond(_ text: String?) -> InboundResponse { InboundResponse(body: text ?? "") }

    /// By default nothing follows a reply.
    public func followUp(_ reply: InboundReply, result: InboundResult) async {}
}
