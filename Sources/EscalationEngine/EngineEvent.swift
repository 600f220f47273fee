import EscalationCore

/// What can happen to an incident.
public enum EngineEvent: Codable, Sendable, Hashable {
    /// A new incident taken by a policy: its id, title, fields (a `resolve_per` list field gives the scopes) and dedup key.
    case trigger(id: String, policy: String, title: String, fields: [String: String], dedupKey: String?)
    /// Someone acknowledged.
    case acknowledge(by: String)
    /// Someone resolved, for one scope or the whole incident, with an outcome.
    case resolve(by: String, scope: String?, outcome: String?)
    /// A named signal with data.
    case signal(name: String, data: [String: String])
    /// A later event joined the open incident (`correlate`): its fields; the policy's `append` list fields gain its items.
    case report(fields: [String: String])
    /// New or changed field values.
    case updateFields([String: String])
    /// Hold the ladder until an instant.
    case snooze(until: Instant)
    /// Move to the next layer now.
    case escalateNow
    /// A timer the engine scheduled has fired.
    case timerFired(id: String)
    /// A delivery failed (the notification key and the channel).
    case deliveryFailed(key: String, channel: String)
    /// A delivery reached the far side and the plugin says whether it was answered (the notification key and the channel).
    case deliveryAnswered(key: String, channel: String, answered: Bool)
}
