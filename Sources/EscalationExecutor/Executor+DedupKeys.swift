import EscalationEngine
import EscalationStore

extension Executor {
    /// A dedup key's holder as one commit left it: open (it holds the key) or not.
    struct DedupNote: Sendable {
        /// The dedup key.
        var key: String
        /// The incident.
        var incident: String
        /// Whether the incident is open after the commit.
        var open: Bool
    }

    /// Whether an open incident of the organisation may hold the dedup key, so that the store must be asked which.
    /// With a store only this process writes, the keys of open incidents are kept in memory (read from the store
    /// once, then kept up to date by every commit, before its dedup key's lock is let go), so a trigger with a key no
    /// open incident holds opens its incident without a read of the store. With a shared store: always true.
    func mayHoldDedupKey(organisation: String, key: String) async throws -> Bool {
        guard shared == nil else { return true }
        if openDedupKeys[organisation] == nil { try await loadOpenIncidents(organisation: organisation) }
        guard let keys = openDedupKeys[organisation] else { return true }
        return keys[key] != nil
    }

    /// Reads the organisation's open incidents once, under one lock (the first triggers after a start wait for one
    /// read, not one read each): the reply codes and the dedup keys they hold, each unless already known. What commits
    /// while the read runs is noted in `dedupJournal` and replayed onto it (the read spans several transactions, so it
    /// may have missed a change).
    func loadOpenIncidents(organisation: String) async throws {
        let lock = "open-incidents/\(organisation)"
        await locks.acquire(lock)
        defer { locks.release(lock) }
        let needCodes = replyCodes[organisation] == nil
        let needKeys = openDedupKeys[organisation] == nil
        guard needCodes || needKeys else { return }
        if needKeys { dedupJournal[organisation] = [] }
        defer { if needKeys { dedupJournal[organisation] = nil } }
        let open = try await openIncidents(organisation: organisation)
        if needCodes { replyCodes[organisation] = Set(open.compactMap(\.state.replyCode)) }
        guard needKeys else { return }
        var keys: [String: [String]] = [:]
        for incident in open {
            if let key = incident.state.dedupKey { Self.note(DedupNote(key: key, incident: incident.id, open: true), in: &keys) }
        }
        for note in dedupJournal[organisation] ?? [] { Self.note(note, in: &keys) }
        openDedupKeys[organisation] = keys
    }

    /// Keeps the dedup keys of open incidents up to date after a commit (or notes the change while they are read).
    func noteDedupKey(of incident: StoredIncident) {
        guard shared == nil, let key = incident.state.dedupKey else { return }
        let note = DedupNote(key: key, incident: incident.id, open: incident.state.isOpen)
        if openDedupKeys[incident.organisation] != nil {
            // In place (no copy of the organisation's keys per commit).
            var holders = openDedupKeys[incident.organisation]?[key] ?? []
            Self.note(note, in: &holders)
            openDedupKeys[incident.organisation]?[key] = holders.isEmpty ? nil : holders
        } else if dedupJournal[incident.organisation] != nil {
            dedupJournal[incident.organisation]?.append(note)
        }
    }

    /// Applies a note to a key's holders.
    static func note(_ note: DedupNote, in holders: inout [String]) {
        holders.removeAll { $0 == note.incident }
        if note.open { holders.append(note.incident) }
    }

    /// Applies a note to the keys of an organisation.
    static func note(_ note: DedupNote, in keys: inout [String: [String]]) {
        var holders = keys[note.key] ?? []
        Self.note(note, in: &holders)
        keys[note.key] = holders.isEmpty ? nil : holders
    }
}
