import EscalationCore

/// At most `perMinute` deliveries per contact in any 60 seconds; more wait (a flood must not page one person
/// hundreds of times a minute).
struct RateLimiter: Sendable {
    /// Deliveries allowed per contact per minute.
    let perMinute: Int
    private var recent: [String: [Instant]] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Whether a delivery to `contact` may go at `now`; counts it when it may.
    mutating func allow(contact: String, now: Instant) -> Bool {
        let window = (recent[contact] ?? []).filter { now.seconds(since: $0) < 60 }
        guard window.count < perMinute else {
            recent[contact] = window
            return false
        }
        recent[contact] = window + [now]
        return true
    }
}
