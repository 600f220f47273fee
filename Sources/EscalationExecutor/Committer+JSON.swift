import EscalationCore
import EscalationEngine

extension Committer {
    /// A trigger event's JSON for the log as the sorted encoder writes it, written by hand (every new incident logs
    /// one); nil for every other event, which the encoder writes.
    static func handWritten(_ event: EngineEvent) -> String? {
        guard case .trigger(let id, let policy, let title, let fields, let dedupKey) = event else { return nil }
        var writer = JSONWriter(.compact, escapesSlashes: true)
        writer.beginObject()
        writer.key("trigger")
        writer.beginObject()
        if let dedupKey {
            writer.key("dedupKey")
            writer.string(dedupKey)
        }
        writer.key("fields")
        writer.map(fields)
        writer.key("id")
        writer.string(id)
        writer.key("policy")
        writer.string(policy)
        writer.key("title")
        writer.string(title)
        writer.endObject()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// A notification's JSON for the outbox as the sorted encoder writes it, written by hand (every page queues one);
    /// nil for every other effect, which the encoder writes.
    static func handWritten(_ effect: Effect) -> String? {
        guard case .notify(let notification) = effect else { return nil }
        var writer = JSONWriter(.compact, escapesSlashes: true)
        writer.beginObject()
        writer.key("notify")
        writer.beginObject()
        writer.key("_0")
        writer.beginObject()
        if let address = notification.address {
            writer.key("address")
            writer.string(address)
        }
        writer.key("cc")
        writer.strings(notification.cc)
        writer.key("channel")
        writer.string(notification.channel)
        writer.key("contact")
        writer.string(notification.contact)
        writer.key("idempotencyKey")
        writer.string(notification.idempotencyKey)
        writer.key("message")
        writer.beginObject()
        writer.key("body")
        writer.string(notification.message.body)
        if let subject = notification.message.subject {
            writer.key("subject")
            writer.string(subject)
        }
        if let template = notification.message.template {
            writer.key("template")
            writer.string(template)
        }
        writer.endObject()
        writer.key("name")
        writer.string(notification.name)
        writer.key("notificationKey")
        writer.string(notification.notificationKey)
        writer.key("origin")
        writer.string(notification.origin)
        writer.key("reason")
        writer.string(notification.reason)
        writer.endObject()
        writer.endObject()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
