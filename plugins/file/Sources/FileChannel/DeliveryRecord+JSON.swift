import EscalationCore
import Foundation

extension DeliveryRecord {
    /// The record as `DeliveryJSON.line` writes it (one line of compact JSON with sorted keys, ending in a newline),
    /// without the encoder's generic pass: the file sink writes one per delivery.
    var jsonBytes: [UInt8] {
        var writer = JSONWriter(.compact, escapesSlashes: false)
        let message = delivery.message
        writer.beginObject()
        writer.key("action")
        writer.string(delivery.action)
        writer.key("address")
        writer.optional(delivery.address)
        writer.key("channel")
        writer.string(delivery.channel)
        if let externalID = delivery.receipt?.externalID {
            writer.key("external_id")
            writer.string(externalID)
        }
        writer.key("message")
        writer.beginObject()
        writer.key("body")
        writer.string(message.body)
        writer.key("cc")
        writer.strings(message.cc)
        if let expiresAt = message.expiresAt {
            writer.key("expires_at")
            writer.string(expiresAt.description)
        }
        writer.key("idempotency_key")
        writer.string(message.idempotencyKey)
        writer.key("incident_id")
        writer.string(message.incidentID)
        writer.key("kind")
        writer.string(message.kind.rawValue)
        writer.key("metadata")
        writer.map(message.metadata)
        if let subject = message.subject {
            writer.key("subject")
            writer.string(subject)
        }
        if let template = message.template {
            writer.key("template")
            writer.string(template)
        }
        writer.endObject()
        writer.key("time")
        writer.string(time.description)
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(0x0A)
        return bytes
    }
}
