import EscalationEngine
import EscalationStore

extension Executor {
    /// The smallest whole number that no open (or acknowledged) incident of the organisation uses as its reply code.
    /// Called under the organisation's reply-code lock, with the incident committed before the lock is let go.
    func freeReplyCode(organisation: String) async throws -> String {
        ReplyRule.freeCode(among: try await openIncidents(organisation: organisation).map(\.state))
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
