import EscalationChannel
import EscalationCore
import Foundation

/// The JSON document a webhook receives: the message with its incident, kind, texts, copies, metadata and keys.
struct WebhookPayload: Encodable {
    /// `deliver`, `update`, `expire` or `undo`.
    var event: String
    /// The incident the message belongs to.
    var incidentID: String
    /// `notify`, `post`, `stage` or `action`.
    var kind: String
    /// The recipient's address, for deliveries to a person.
    var to: String?
    /// Subject line.
    var subject: String?
    /// Body text.
    var body: String
    /// Template id.
    var template: String?
    /// Copied addresses.
    var cc: [String]
    /// Extra values from the engine.
    var metadata: [String: String]
    /// When a stage message should be taken down (ISO 8601, UTC).
    var expiresAt: String?
    /// Unique per delivery; also sent as the Idempotency-Key header.
    var idempotencyKey: String
    /// The id the receiver returned for the message being updated, expired or undone.
    var receipt: String?

    enum CodingKeys: String, CodingKey {
        case event, kind, to, subject, body, template, cc, metadata, receipt
        case incidentID = "incident_id"
        case expiresAt = "expires_at"
        case idempotencyKey = "idempotency_key"
    }

    /// The payload for a message.
    init(event: String, message: ChannelMessage, to address: String?, receipt: String?) {
        self.event = event
        incidentID = message.incidentID
        kind = message.kind.rawValue
        to = address
        subject = message.subject
        body = message.body
        template = message.template
        cc = message.cc
        metadata = message.metadata
        expiresAt = message.expiresAt?.description
        idempotencyKey = message.idempotencyKey
        self.receipt = receipt
    }

    /// Compact JSON with sorted keys, so the same message always signs the same.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
