/// What a plugin read from a verified inbound request: who answered, what they said, and which message it answers.
/// The core maps `from` to a contact (through the channel's address kind), `reference` or a short code in the
/// text to an incident, and the text to a command (`ack`, `4r fixed`, `snooze 30`, …).
public struct InboundReply: Sendable, Hashable {
    /// The sender's address of the channel's kind (a phone number, an e-mail address, a chat user id).
    public var from: String
    /// What they answered: the reply's text, or the command a button or keypress stands for (`ack`, `escalate`).
    public var text: String
    /// The incident the answered message was about, when the provider says (a button's value, a callback's query).
    public var reference: String?
    /// How the answer came, for the timeline (`sms reply`, `voice keypress`, `chat button`).
    public var via: String
    /// The plugin's own notes for `followUp` (e.g. which message to edit); never stored, logged or shown.
    public var context: [String: String]
    /// The inbound as stored with the incident's timeline: what the provider sent with secrets, signatures and
    /// tokens left out (nil: the core stores the sender, text and reference only).
    public var raw: String?

    /// Creates a reply.
    public init(from: String, text: String, reference: String? = nil, via: String, context: [String: String] = [:], raw: String? = nil) {
        self.from = from
        self.text = text
        self.reference = reference
        self.via = via
        self.context = context
        self.raw = raw
    }
}
