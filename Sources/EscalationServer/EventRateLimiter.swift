import EscalationCore

/// Counts events per sender in one-minute windows; a sender over its limit waits for the next window. Also counts
/// the console's failed sign-ins (per client address and overall).
actor EventRateLimiter {
    private var windows: [String: (minute: Int64, count: Int)] = [:]

    /// Nil when the sender is under `limit` at `now` (nothing is counted); else the seconds until its window ends.
    func wait(_ sender: String, now: Instant, limit: Int) -> Int? {
        guard let window = windows[sender], window.minute == now.seconds / 60, window.count >= limit else { return nil }
        return Int(60 - now.seconds % 60)
    }

    /// Nil when the sender may send one more event at `now`; else the seconds until it may.
    func admit(_ sender: String, now: Instant, limit: Int) -> Int? {
        let minute = now.seconds / 60
        var window: (minute: Int64, count: Int) = windows[sender].flatMap { $0.minute == minute ? $0 : nil } ?? (minute, 0)
        guard window.count < limit else { return Int(60 - now.seconds % 60) }
        window.count += 1
        windows[sender] = window
        if windows.count > 10_000 { windows = windows.filter { $0.value.minute == minute } }
        return nil
    }
}
