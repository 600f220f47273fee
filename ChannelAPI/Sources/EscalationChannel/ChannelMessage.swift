import EscalationCore

/// One message to deliver, as plugins see it.
public struct ChannelMessage: Sendable, Hashable, Codable {
    /// What the message is for.
    public enum Kind: String, Sendable, Codable {
        /// A notification to a person.
        case notify
        /// A post to a channel (room, queue, ticket system).
        case post
        /// A stage status message.
        case stage
        /// An action (e.g. an away message) to switch on.
        case action
    }

    /// Unique per delivery; forwarded downstream (HTTP `Idempotency-Key`, e-mail `Message-ID`).
    public var idempotencyKey: String
    /// The incident id; plugins that thread use it as the thread key.
    public var incidentID: String
    /// Kind.
    public var kind: Kind
    /// Subject line.
    public var subject: String?
    /// Body text.
    public var body: String
    /// Template id, for logs.
    public var template: String?
    /// Addresses copied.
    public var cc: [String]
    /// When a stage message should be taken down.
    public var expiresAt: Instant?
    /// Extra values (stage id, action id, incident fields…).
    public var metadata: [String: String]

    /// Creates a message.
    public init(
        idempotencyKey: String, incidentID: String, kind: Kind = .notify, subject: String? = nil, body: String,
        template: String? = nil, cc: [String] = [], expiresAt: Instant? = nil, metadata: [String: String] = [:]
    ) {
        self.idempotencyKey = idempotencyKey
        self.incidentID = incidentID
        self.kind = kind
        self.subject = subject
        self.body = body
        self.template = template
        self.cc = cc
        self.expiresAt = expiresAt
        self.metadata = metadata
    }
}

/// What the far side said when it accepted a message.
public struct DeliveryReceipt: Sendable, Hashable, Codable {
    /// Its id for the message (message id, incident id, ticket key…), to update or undo it later.
    public var externalID: String?
    /// Whether the recipient answered, when the plugin can tell (`answers` capability); nil when not known.
    public var answer: DeliveryAnswer?
    /// Creates a receipt.
    public init(externalID: String?, answer: DeliveryAnswer? = nil) {
        self.externalID = externalID
        self.answer = answer
    }
}

/// Why a delivery failed, and whether trying again may help.
public struct DeliveryFailure: Error, Sendable, Hashable, Codable {
    /// True for timeouts, 429 and 5xx; false for 4xx and bad settings.
    public var retryable: Bool
    /// What happened (never a secret).
    public var reason: String
    /// Creates a failure.
    public init(retryable: Bool, reason: String) {
        self.retryable = retryable
        self.reason = reason
    }
}

/// The outcome of a delivery.
public enum DeliveryResult: Sendable, Hashable, Codable {
    /// Accepted by the far side.
    case delivered(DeliveryReceipt)
    /// Not delivered.
    case failed(DeliveryFailure)
}
