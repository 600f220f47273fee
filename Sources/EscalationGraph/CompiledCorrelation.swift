import EscalationCore

/// How later events join an open incident as reports: by the dedup key, or by the value of a field; list fields grow.
public struct CompiledCorrelation: Codable, Sendable, Hashable {
    /// The field whose value joins events (nil: the dedup key).
    public var key: String?
    /// List fields that gain the items each report brings.
    public var append: [String]

    /// Creates a value from its parts.
    public init(key: String? = nil, append: [String]) {
        self.key = key
        self.append = append
    }

    /// The dedup key an event joins by when the policy correlates on a field: `correlate/POLICY/FIELD=VALUE` (nil when
    /// the policy correlates on the dedup key itself, or the event lacks the field).
    public func derivedKey(policy: String, fields: [String: String]) -> String? {
        guard let key, let value = fields[key], !value.isEmpty else { return nil }
        return "correlate/\(policy)/\(key)=\(value)"
    }
}
