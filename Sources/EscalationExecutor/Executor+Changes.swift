import EscalationCore
import EscalationStore

extension Executor {
    /// The store key change events are kept under: beside the threshold events, with a policy part no policy id can
    /// have (`#` is not allowed in ids), so no threshold ever counts or consumes them.
    static func changeKey(_ organisation: String) -> PendingEvent.Key { PendingEvent.Key(organisation: organisation, policy: "#changes") }

    /// Records a change event (a deploy, a configuration change) of an organisation durably, so an incident opening in
    /// the following hour shows it on its timeline, restarts included.
    public func recordChange(organisation: String, summary: String, source: String?, at: Instant) async throws {
        var fields = ["summary": summary]
        if let source { fields["source"] = source }
        try await store.addPendingEvent(PendingEvent(key: Self.changeKey(organisation), at: at, title: summary, fields: fields, dedupKey: nil))
    }

    /// The organisation's change events in the hour before `now`, oldest first.
    public func recentChanges(organisation: String, now: Instant, windowSeconds: Int = 3_600) async throws -> [(at: Instant, summary: String, source: String?)] {
        try await store.pendingEvents(Self.changeKey(organisation), since: now.adding(seconds: -windowSeconds))
            .filter { $0.at <= now }
            .sorted { $0.at < $1.at }
            .map { ($0.at, $0.fields["summary"] ?? $0.title ?? "change", $0.fields["source"]) }
    }
}
