import EscalationEngine
import EscalationStore

extension Executor {
    /// With a shared store: the smallest whole number that no open (or acknowledged) incident of the organisation uses
    /// as its reply code. Another process may take a code at any time, so the store is read each time, and the caller
    /// holds the organisation's reply-code lock (across processes) until the incident is committed.
    func freeReplyCode(organisation: String) async throws -> String {
        ReplyRule.freeCode(among: try await openIncidents(organisation: organisation).map(\.state))
    }

    /// With a store only this process writes: the smallest code no open incident of the organisation uses, marked in
    /// use at once, so that no other incident takes it while this one's commit is under way (the commit then needs no
    /// lock per organisation). The codes in use are kept in memory (read from the store once, then kept up to date by
    /// every commit), so a trigger does not read every open incident. Hand the code back with `releaseReplyCode` if
    /// the incident is not committed.
    func reserveReplyCode(organisation: String) async throws -> String {
        // Loaded once: the first triggers after a start wait for one read of the open incidents, not one read each.
        if replyCodes[organisation] == nil { try await loadOpenIncidents(organisation: organisation) }
        // What follows runs on the actor without suspending, and works on the kept set in place (no copy per trigger).
        var code = replyCodeFloor[organisation] ?? 1
        while replyCodes[organisation]?.contains(String(code)) == true { code += 1 }
        replyCodes[organisation, default: []].insert(String(code))
        replyCodeFloor[organisation] = code
        return String(code)
    }

    /// Frees a reserved code whose incident was not committed (the engine refused it, or the commit failed).
    func releaseReplyCode(_ code: String, organisation: String) {
        guard replyCodes[organisation]?.remove(code) != nil, let number = Int(code), number < replyCodeFloor[organisation] ?? 1 else { return }
        replyCodeFloor[organisation] = number
    }

    /// Keeps the codes in use up to date after a commit: an open incident holds its code, a resolved one frees it.
    func noteReplyCode(of incident: StoredIncident) {
        guard shared == nil, let code = incident.state.replyCode, replyCodes[incident.organisation] != nil else { return }
        if incident.state.isOpen {
            replyCodes[incident.organisation]?.insert(code)
        } else if replyCodes[incident.organisation]?.remove(code) != nil, let number = Int(code),
            number < replyCodeFloor[incident.organisation] ?? 1
        {
            replyCodeFloor[incident.organisation] = number
        }
    }

    /// Every incident of the organisation that is not resolved.
    func openIncidents(organisation: String) async throws -> [StoredIncident] {
        var found: [StoredIncident] = []
        for status in [IncidentState.Status.open, .acknowledged] {
            var cursor: IncidentCursor?
            repeat {
                let page = try await store.incidents(IncidentQuery(organisation: organisation, status: status, after: cursor, limit: 500))
                found += page.incidents
                cursor = page.next
            } while cursor != nil
        }
        return found
    }

    /// The incident of the organisation that is not resolved and has this reply code.
    public func openIncident(organisation: String, replyCode: String) async throws -> StoredIncident? {
        try await openIncidents(organisation: organisation).first { $0.state.replyCode == replyCode }
    }
}
