import EscalationEngine

/// A write waiting for the next group commit: a transition (with its state already encoded) or a delivery's result.
enum PendingCommit: Sendable {
    /// An incident's transition: its rows and its state as JSON.
    case transition(StoreChange, stateJSON: String)
    /// A delivery's new status (and attempts, next attempt, detail), with its timeline lines.
    case delivery(OutboxItem, log: [EventLogEntry])
}
