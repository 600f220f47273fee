import EscalationCore
import EscalationStore

extension Executor {
    /// Adds a line to an incident's timeline for something the engine does not see: how an action arrived (a link),
    /// or a change made shortly before the incident opened.
    public func note(incident: String, kind: String = "note", text: String) async throws {
        try await store.append([EventLogEntry(incident: incident, at: clock.now(), kind: kind, text: text)])
    }
}
