// Shared plugin source: linked (symlink) into the plugins that write deliveries out as JSON (exec, file).

import EscalationChannel
import EscalationCore
import Foundation

/// A delivery as JSON: the action, the channel, the address, the message and, for follow-ups, the external id of
/// the earlier delivery. The exec plugin's request on a command's stdin and the file plugin's record share it.
struct DeliveryJSON: Encodable {
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

    /// Any encodable value as one line of compact JSON with sorted keys, ending in a newline.
    static func line(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
