import EscalationCore

/// Whether an event opens an incident now or counts towards its policy's threshold.
public enum Admission: Sendable, Hashable, CustomStringConvertible {
    /// Open an incident now (`reason` says why when a threshold was involved).
    case open(reason: String?)
    /// Counted: this is event `count`; `needed` more must arrive within `withinSeconds` of the earliest counted one.
    case wait(count: Int, needed: Int, withinSeconds: Int)

    /// Whether the event opens an incident.
    public var opens: Bool {
        if case .open = self { return true }
        return false
    }

    /// In words, e.g. "waiting for 1 more within 30m".
    public var description: String {
        switch self {
        case .open(let reason): return reason ?? "opens at once"
        case .wait(_, let needed, let within):
            return "waiting for \(needed) more within \(PolicyDuration.compact(within) ?? "\(within)s")"
        }
    }
}
