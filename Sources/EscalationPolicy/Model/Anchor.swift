import EscalationCore
import Foundation

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

    /// Parses `FIELD`, `FIELD + DURATION` or `FIELD - DURATION` (spaces around the sign are optional).
    public static func parse(_ text: String) -> Result<Anchor, DurationError> {
        let trimmed = WhitespaceTrim.trimmed(text)
        // Field names have no '+' or '-', so the first sign separates the field from the offset.
        guard let sign = trimmed.firstIndex(where: { $0 == "+" || $0 == "-" }) else {
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // `15m after session.start`, `10m before session.start`.
            if words.count == 3, ["after", "before"].contains(words[1]), FieldName.isValid(words[2]),
                case .success = PolicyDuration.parse(words[0])
            {
                let sign = words[1] == "after" ? "+" : "-"
                return .failure(DurationError("an anchor is written FIELD + DURATION; write '\(words[2]) \(sign) \(words[0])'"))
            }
            guard let field = words.first, FieldName.isValid(field) else {
                return .failure(DurationError("an anchor starts with a time field name, e.g. 'session.start + 15m'"))
            }
            if words.count == 1 { return .success(Anchor(field: field, offsetSeconds: 0)) }
            let rest = words.dropFirst().joined(separator: " ")
            if case .success = PolicyDuration.parse(rest) {
                return .failure(DurationError("put '+' or '-' between the field and the offset, e.g. '\(field) + \(rest)'"))
            }
            return .failure(DurationError("write FIELD, FIELD + DURATION or FIELD - DURATION, e.g. 'session.start + 15m'"))
        }
        let field = WhitespaceTrim.trimmed(trimmed[..<sign])
        let offset = WhitespaceTrim.trimmed(trimmed[trimmed.index(after: sign)...])
        guard FieldName.isValid(field) else {
            return .failure(
                DurationError(
                    field.isEmpty
                        ? "an anchor starts with a time field name, e.g. 'session.start + 15m'"
                        : "'\(field)' is not a field name; an anchor starts with one, e.g. 'session.start + 15m'"))
        }
        guard !offset.isEmpty else {
            return .failure(DurationError("'\(trimmed[sign])' must be followed by an offset, e.g. '\(field) \(trimmed[sign]) 15m'"))
        }
        switch PolicyDuration.parse(offset) {
        case .failure(let error): return .failure(error)
        case .success(let duration) where duration.isBusiness:
            return .failure(DurationError("the offset '\(offset)' must be wall time (e.g. 15m or 8h), not business time"))
        case .success(let duration):
            return .success(Anchor(field: field, offsetSeconds: trimmed[sign] == "-" ? -duration.seconds : duration.seconds))
        }
    }
}
