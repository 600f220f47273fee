import EscalationCore

/// At most `perMinute` deliveries per contact in any 60 seconds; more wait (a flood must not page one person
/// hundreds of times a minute). A call costs O(1) amortised, however many deliveries a contact had in the window.
struct RateLimiter: Sendable {
    /// Deliveries allowed per contact per minute.
    let perMinute: Int
    private var recent: [String: Window] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Whether a delivery to `contact` may go at `now`; counts it when it may.
    mutating func allow(contact: String, now: Instant) -> Bool {
        // Without a limit there is nothing to count (and nothing to keep).
        if perMinute == Int.max { return true }
        return recent[contact, default: Window()].admit(now, limit: perMinute)
    }

    /// Takes back a delivery `allow` counted at `now` that was not made after all.
    mutating func refund(contact: String, now: Instant) {
        if perMinute == Int.max { return }
        recent[contact]?.remove(now)
    }

    /// A contact's deliveries in the last 60 seconds, oldest first: `times[first...]`.
    struct Window: Sendable {
        private var times: [Instant] = []
        private var first = 0

        /// Drops deliveries older than 60 seconds; counts `now` if fewer than `limit` remain.
        mutating func admit(_ now: Instant, limit: Int) -> Bool {
            while first < times.count, now.seconds(since: times[first]) >= 60 { first += 1 }
            // The dropped prefix is given back once it is at least half of the array (amortised O(1) per call).
            if first > 0, first * 2 >= times.count {
                times.removeFirst(first)
                first = 0
            }
            guard times.count - first < limit else { return false }
            times.append(now)
            return true
        }

        /// Forgets the latest delivery counted at `now`, if any.
        mutating func remove(_ now: Instant) {
            guard let last = times[first...].lastIndex(of: now) else { return }
            times.remove(at: last)
        }
    }
}
