import EscalationChannel
import EscalationCore
import Foundation

/// The JSON document an exec command reads on standard input: the action, the address, the message and, for
/// follow-ups, the external id of the earlier delivery.
struct ExecRequest: Encodable {
    /// deliver, undo, update or expire.
    var action: String
    /// The channel id.
    var channel: String
    /// The address (nil for channel-wide posts and follow-ups).
    var address: String?
    /// The message.
    var message: ChannelMessage
    /// The earlier receipt, for undo/update/expire.
    var receipt: DeliveryReceipt?

    enum CodingKeys: String, CodingKey {
        case action, channel, address, message
        case externalID = "external_id"
    }

    enum MessageKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key"
        case incidentID = "incident_id"
        case kind, subject, body, template, cc
        case expiresAt = "expires_at"
        case metadata
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(action, forKey: .action)
        try container.encode(channel, forKey: .channel)
        try container.encode(address, forKey: .address)
        try container.encodeIfPresent(receipt?.externalID, forKey: .externalID)
        var nested = container.nestedContainer(keyedBy: MessageKeys.self, forKey: .message)
        try nested.encode(message.idempotencyKey, forKey: .idempotencyKey)
        try nested.encode(message.incidentID, forKey: .incidentID)
        try nested.encode(message.kind.rawValue, forKey: .kind)
        try nested.encodeIfPresent(message.subject, forKey: .subject)
        try nested.encode(message.body, forKey: .body)
        try nested.encodeIfPresent(message.template, forKey: .template)
        try nested.encode(message.cc, forKey: .cc)
        try nested.encodeIfPresent(message.expiresAt?.description, forKey: .expiresAt)
        try nested.encode(message.metadata, forKey: .metadata)
    }

    /// The request as one line of compact JSON ending in a newline.
    func jsonLine() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
