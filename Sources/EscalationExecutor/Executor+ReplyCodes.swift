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
        // Search from the lowest code that may be free (every code below it is in use), not from 1 each time.
        var code = replyCodeFloor[organisation] ?? 1
        while codes.contains(String(code)) { code += 1 }
        replyCodeFloor[organisation] = code
        return String(code)
    }

    /// The reply codes open incidents of the organisation hold (loaded from the store the first time).
    func replyCodesInUse(organisation: String) async throws -> Set<String> {
        if let known = replyCodes[organisation] { return known }
        let loaded = Set(try await openIncidents(organisation: organisation).compactMap(\.state.replyCode))
        // Another call may have loaded them while this one read the store: the first load stays.
        if replyCodes[organisation] == nil { replyCodes[organisation] = loaded }
        return replyCodes[organisation] ?? loaded
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
