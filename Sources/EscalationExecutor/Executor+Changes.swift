import EscalationCore
import EscalationStore
import Synchronization

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
        changeRecordings[organisation, default: 0] += 1
        keepChanges(nil, organisation: organisation)
    }

    /// Keeps (or drops, with nil) an organisation's change events as read, and with them whether it is known quiet.
    func keepChanges(_ kept: (since: Instant, events: [PendingEvent])?, organisation: String) {
        changeEvents[organisation] = kept
        let quiet = kept.flatMap { $0.events.isEmpty ? $0.since : nil }
        quietChanges.withLock { $0[organisation] = quiet }
    }

    /// Whether the organisation is known to have had no change event in the hour (`windowSeconds`) before `now`, so a
    /// new incident has none to show; answered without entering the actor, so a new incident of a quiet organisation
    /// (the usual case) costs no second trip through it. False when not known (not read yet, a shared store).
    public nonisolated func knownQuiet(organisation: String, now: Instant, windowSeconds: Int = 3_600) -> Bool {
        guard let since = quietChanges.withLock({ $0[organisation] }) else { return false }
        return since <= now.adding(seconds: -windowSeconds)
    }

    /// The organisation's change events in the hour before `now`, oldest first. Every new incident asks; with a store
    /// of this process the events read are kept (until the next recording), so most incidents read nothing. With a
    /// shared store another process may record one at any time: it is read each time.
    public func recentChanges(organisation: String, now: Instant, windowSeconds: Int = 3_600) async throws -> [(at: Instant, summary: String, source: String?)] {
        let since = now.adding(seconds: -windowSeconds)
        let events: [PendingEvent]
        if shared == nil, let kept = changeEvents[organisation], kept.since <= since {
            events = kept.events.filter { $0.at >= since }
            keepChanges((since, events), organisation: organisation)
        } else {
            let recordings = changeRecordings[organisation, default: 0]
            events = try await store.pendingEvents(Self.changeKey(organisation), since: since)
            // A recording while this read ran may or may not be in it: keep only a read no recording raced.
            if shared == nil, changeRecordings[organisation, default: 0] == recordings { keepChanges((since, events), organisation: organisation) }
        }
        return events
            .filter { $0.at <= now }
            .sorted { $0.at < $1.at }
            .map { ($0.at, $0.fields["summary"] ?? $0.title ?? "change", $0.fields["source"]) }
    }
}
