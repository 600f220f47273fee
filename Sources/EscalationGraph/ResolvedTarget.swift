import EscalationCore

/// One target of a step resolved at an instant: the contacts it reaches, or why it reaches nobody.
public struct ResolvedTarget: Sendable, Hashable {
    /// The target as written.
    public var target: CompiledTarget
    /// The contacts it reaches, in order.
    public var recipients: [Recipient]
    /// A `field` target whose value is not known yet (no incident): it reaches whoever the incident names.
    public var pendingField: Bool
    /// Why it reaches nobody, or somebody less than asked (an undeclared id, nobody on call, a field not given).
    public var problem: String?
    /// For a `route` target: the row picked, e.g. `region = us → group:us-local-it` (nil for other targets).
    public var route: String?

    /// Whether it reaches someone, or will once an incident names them.
    public var reaches: Bool { !recipients.isEmpty || pendingField }
}
