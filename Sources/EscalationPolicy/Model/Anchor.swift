import EscalationCore

/// An instant taken from the incident: `FIELD`, `FIELD + 15m`, `FIELD - 5m`.
public struct Anchor: Hashable, Sendable, CustomStringConvertible {
    /// A `time` field.
    public var field: String
    /// Signed offset in seconds.
    public var offsetSeconds: Int

    /// An anchor at a field plus an offset.
    public init(field: String, offsetSeconds: Int) {
        self.field = field
        self.offsetSeconds = offsetSeconds
    }

    /// `field + 15m`.
    public var description: String {
        guard let text = PolicyDuration.compact(abs(offsetSeconds)) else { return field }
        return "\(field) \(offsetSeconds < 0 ? "-" : "+") \(text)"
    }

    /// Parses `FIELD`, `FIELD + DURATION` or `FIELD - DURATION`.
    public static func parse(_ text: String) -> Result<Anchor, DurationError> {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let field = parts.first, FieldName.isValid(field) else {
            return .failure(DurationError("an anchor starts with a field name, e.g. 'session.start + 15m'"))
        }
        if parts.count == 1 { return .success(Anchor(field: field, offsetSeconds: 0)) }
        guard parts.count == 3, parts[1] == "+" || parts[1] == "-" else {
            return .failure(DurationError("write an anchor as 'FIELD + DURATION' or 'FIELD - DURATION', with spaces"))
        }
        switch PolicyDuration.parse(parts[2]) {
        case .failure(let error): return .failure(error)
        case .success(let duration) where duration.isBusiness:
            return .failure(DurationError("an anchor offset must be wall time (e.g. 15m), not business time"))
        case .success(let duration):
            return .success(Anchor(field: field, offsetSeconds: parts[1] == "-" ? -duration.seconds : duration.seconds))
        }
    }
}
