import EscalationCore

/// A step's targets resolved at an instant: who is notified, copied and given tasks.
public struct ResolvedStep: Sendable, Hashable {
    /// The `notify` targets.
    public var notify: [ResolvedTarget]
    /// The `cc` targets.
    public var cc: [ResolvedTarget]
    /// The task assignees, in task order (tasks without an assignee are left out).
    public var assignees: [ResolvedTarget]

    /// The distinct contacts notified, in order (what the engine sends to).
    public var notified: [Recipient] {
        var seen = Set<String>()
        return notify.flatMap(\.recipients).filter { seen.insert($0.contact).inserted }
    }

    /// Whether anyone is told anything: a notified, copied or assigned contact, or a field target not known yet.
    public var reachesAnyone: Bool { (notify + cc + assignees).contains(where: \.reaches) }

    /// The field targets whose values are not known yet.
    public var pendingFields: [String] {
        var seen = Set<String>()
        return (notify + cc + assignees).filter(\.pendingField).map(\.target.ref).filter { seen.insert($0).inserted }
    }
}
