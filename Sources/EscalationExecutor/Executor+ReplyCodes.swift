import EscalationEngine
import EscalationStore

extension Executor {
    /// The smallest whole number that no open (or acknowledged) incident of the organisation uses as its reply code.
    /// Called under the organisation's reply-code lock, with the incident committed before the lock is let go.
    /// With a store only this process writes, the codes in use are kept in memory (read from the store once, then
    /// kept up to date by every commit), so a trigger does not read every open incident; with a shared store another
    /// process may take a code at any time, so the store is read each time.
    func freeReplyCode(organisation: String) async throws -> String {
        guard shared == nil else { return ReplyRule.freeCode(among: try await openIncidents(organisation: organisation).map(\.state)) }
        let codes = try await replyCodesInUse(organisation: organisation)
        return ReplyRule.freeCode(inUse: codes)
    }

    /// The reply codes open incidents of the organisation hold (loaded from the store the first time).
    func replyCodesInUse(organisation: String) async throws -> Set<String> {
        if let known = replyCodes[organisation] { return known }
        let codes = Set(try await openIncidents(organisation: organisation).compactMap(\.state.replyCode))
        replyCodes[organisation] = replyCodes[organisation] ?? codes
        return replyCodes[organisation] ?? codes
    }

    /// Keeps the codes in use up to date after a commit: an open incident holds its code, a resolved one frees it.
    func noteReplyCode(of incident: StoredIncident) {
        guard shared == nil, let code = incident.state.replyCode, replyCodes[incident.organisation] != nil else { return }
        if incident.state.isOpen {
            replyCodes[incident.organisation]?.insert(code)
        } else {
            replyCodes[incident.organisation]?.remove(code)
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
