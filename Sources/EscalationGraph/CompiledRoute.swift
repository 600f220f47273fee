import EscalationCore

/// A route table: the value of one incident field picks whom a `{ route: ID }` target reaches.
public struct CompiledRoute: Codable, Sendable, Hashable {
    /// Route id.
    public var id: String
    /// The incident field whose value picks the row.
    public var field: String
    /// Field value → targets (contacts, groups, schedules).
    public var rows: [String: [CompiledTarget]]
    /// The targets for a value without a row (nil: nobody).
    public var fallback: [CompiledTarget]?
    /// Field value → channel, for a route that picks a post's or stage's channel (nil for routes of people).
    public var channels: [String: String]?
    /// The channel for a value without a row (channel routes).
    public var fallbackChannel: String?

    /// The channel a channel route picks for an incident's fields (nil: no row and no default).
    public func channel(fields: [String: String]) -> String? {
        fields[field].flatMap { channels?[$0] } ?? fallbackChannel
    }

    /// Creates a value from its parts.
    public init(id: String, field: String, rows: [String: [CompiledTarget]], fallback: [CompiledTarget]? = nil) {
        self.id = id
        self.field = field
        self.rows = rows
        self.fallback = fallback
    }

    /// The targets an incident with these fields reaches (nil: no row and no default). A list value (`Roy, Ogden`)
    /// reaches the rows of its items, in order and without repeats; items without a row add the default once.
    public func targets(fields: [String: String]) -> [CompiledTarget]? {
        guard let value = fields[field] else { return fallback }
        if let row = rows[value] { return row }
        let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard items.count > 1 else { return fallback }
        var picked: [CompiledTarget] = []
        var usedFallback = false
        for item in items {
            if let row = rows[item] {
                picked += row.filter { !picked.contains($0) }
            } else if let fallback, !usedFallback {
                usedFallback = true
                picked += fallback.filter { !picked.contains($0) }
            }
        }
        return picked.isEmpty ? nil : picked
    }

    /// Each row in value order, then the default as `(nil, targets)`.
    public var branches: [(value: String?, targets: [CompiledTarget])] {
        rows.keys.sorted().compactMap { key in rows[key].map { (key, $0) } } + (fallback.map { [(nil, $0)] } ?? [])
    }
}
