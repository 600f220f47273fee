extension CompiledTarget {
    /// `{contact: ID}`.
    public static func contact(_ id: String) -> CompiledTarget { target(kind: "contact", ref: id) }
    /// `{group: ID}`.
    public static func group(_ id: String) -> CompiledTarget { target(kind: "group", ref: id) }
    /// `{schedule: ID}`: whoever is on call.
    public static func schedule(_ id: String) -> CompiledTarget { target(kind: "schedule", ref: id) }
    /// `{field: NAME}`: the contact an incident field names.
    public static func field(_ name: String) -> CompiledTarget { target(kind: "field", ref: name) }

    /// `{route: ID}`: the row of a route table that an incident field picks.
    public static func route(_ id: String) -> CompiledTarget { target(kind: "route", ref: id) }

    private static func target(kind: String, ref: String) -> CompiledTarget { CompiledTarget(kind: kind, ref: ref) }
}
