import EscalationCore

/// The nonces of one-time sign-in links already used, kept in memory until the link expires (at most an hour).
/// A restart forgets them, so a link used before a restart works once more until it expires; with several `serve`
/// processes, once per process.
actor ConsoleLinkNonces {
    /// Nonce → the link's expiry (epoch seconds).
    private var used: [String: Int64] = [:]
    /// The most nonces kept; when full of unexpired ones, new links are refused rather than old ones forgotten.
    let capacity: Int

    /// An empty record.
    init(capacity: Int = 100_000) { self.capacity = max(capacity, 1) }

    /// Whether the nonce was used already.
    func isUsed(_ nonce: String) -> Bool { used[nonce] != nil }

    /// Marks the nonce used: `true` when it was not, `false` when it was, nil when the record is full.
    func use(_ nonce: String, expires: Int64, now: Instant) -> Bool? {
        if used[nonce] != nil { return false }
        if used.count >= capacity { used = used.filter { $0.value > now.seconds } }
        guard used.count < capacity else { return nil }
        used[nonce] = expires
        return true
    }
}
