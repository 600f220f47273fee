/// Settings travel inside the compiled graph (still `${env:…}` references, never secret values), so they encode
/// to JSON: `{"scalar": "…"}`, `{"list": […]}`, `{"map": [{"key": "…", "value": …}]}` or `{"null": true}`, each
/// with its `location`.
extension SettingValue: Codable {
    private enum CodingKeys: String, CodingKey { case scalar, list, map, null, location }
    private struct Pair: Codable {
        var key: Located<String>
        var value: SettingValue
    }

    /// Decodes the JSON form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let location = try container.decode(SourceLocation.self, forKey: .location)
        if let text = try container.decodeIfPresent(String.self, forKey: .scalar) {
            self = .scalar(text, location)
        } else if let items = try container.decodeIfPresent([SettingValue].self, forKey: .list) {
            self = .list(items, location)
        } else if let pairs = try container.decodeIfPresent([Pair].self, forKey: .map) {
            self = .map(pairs.map { (key: $0.key, value: $0.value) }, location)
        } else if container.contains(.null) {
            self = .null(location)
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .location, in: container, debugDescription: "a setting needs one of scalar, list, map or null")
        }
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(location, forKey: .location)
        switch self {
        case .scalar(let text, _): try container.encode(text, forKey: .scalar)
        case .list(let items, _): try container.encode(items, forKey: .list)
        case .map(let pairs, _): try container.encode(pairs.map { Pair(key: $0.key, value: $0.value) }, forKey: .map)
        case .null: try container.encode(true, forKey: .null)
        }
    }
}

extension SettingValue: Hashable {
    /// Equal when the same value is written at the same place.
    public static func == (lhs: SettingValue, rhs: SettingValue) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a, let la), .scalar(let b, let lb)): return a == b && la == lb
        case (.list(let a, let la), .list(let b, let lb)): return a == b && la == lb
        case (.map(let a, let la), .map(let b, let lb)):
            return la == lb && a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.null(let la), .null(let lb)): return la == lb
        default: return false
        }
    }

    /// Hashes the value and its place.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        switch self {
        case .scalar(let text, _): hasher.combine(text)
        case .list(let items, _): hasher.combine(items)
        case .map(let pairs, _):
            for pair in pairs {
                hasher.combine(pair.key)
                hasher.combine(pair.value)
            }
        case .null: hasher.combine(0)
        }
    }
}
