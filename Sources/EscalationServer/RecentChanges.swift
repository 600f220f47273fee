import EscalationCore

/// PagerDuty change events (deploys, config changes) of the last hour per organisation, so that an incident opening
/// soon after shows them on its timeline ("recent changes"). Kept in memory: a restart forgets them.
actor RecentChanges {
    /// One change event.
    struct Change: Sendable {
        /// When it arrived.
        var at: Instant
        /// Its summary.
        var summary: String
        /// Where it came from, when the sender said.
        var source: String?
    }

    /// How long a change is shown on incidents that open after it.
    static let windowSeconds = 3_600
    /// The most changes kept per organisation.
    static let most = 50

    private var changes: [String: [Change]] = [:]

    /// Records a change of an organisation.
    func add(_ change: Change, organisation: String) {
        var list = changes[organisation, default: []].filter { change.at.seconds(since: $0.at) < Self.windowSeconds }
        list.append(change)
        changes[organisation] = Array(list.suffix(Self.most))
    }

    /// The changes of an organisation within the hour before `now`, oldest first.
    func recent(organisation: String, now: Instant) -> [Change] {
        changes[organisation, default: []].filter { now.seconds(since: $0.at) < Self.windowSeconds && now.seconds(since: $0.at) >= 0 }
    }
}
