/// A plugin setting as written in YAML, with locations, for plugins to validate.
public indirect enum SettingValue: Sendable {
    /// A scalar (its text), e.g. `https://…`, `30`, `${env:TOKEN}`.
    case scalar(String, SourceLocation)
    /// A list.
    case list([SettingValue], SourceLocation)
    /// A map in declaration order.
    case map([(key: Located<String>, value: SettingValue)], SourceLocation)
    /// An explicit null.
    case null(SourceLocation)

    /// Where the value was written.
    public var location: SourceLocation {
        switch self {
        case .scalar(_, let location), .list(_, let location), .map(_, let location), .null(let location):
            location
        }
    }

    /// The value under a key, for a map.
    public subscript(key: String) -> SettingValue? {
        guard case .map(let pairs, _) = self else { return nil }
        return pairs.first { $0.key.value == key }?.value
    }

    /// The scalar text, for a scalar.
    public var string: String? {
        if case .scalar(let text, _) = self { return text }
        return nil
    }

    /// Every scalar with its dotted key path (`auth.token`), depth first.
    public func scalars(prefix: String = "") -> [(path: String, value: String, location: SourceLocation)] {
        switch self {
        case .scalar(let text, let location): return [(prefix, text, location)]
        case .null: return []
        case .list(let items, _):
            return items.enumerated().flatMap { $0.element.scalars(prefix: "\(prefix)[\($0.offset)]") }
        case .map(let pairs, _):
            return pairs.flatMap { $0.value.scalars(prefix: prefix.isEmpty ? $0.key.value : "\(prefix).\($0.key.value)") }
        }
    }
}
