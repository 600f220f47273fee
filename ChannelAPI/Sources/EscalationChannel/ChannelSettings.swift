import EscalationCore

/// A channel's `settings:` map with locations, and helpers to read and check it.
public struct ChannelSettings: Sendable {
    /// The channel id (for messages).
    public var channel: String
    /// The settings as written; nil when the channel has none.
    public var value: SettingValue?
    /// Where the channel is declared (for problems with no better place).
    public var location: SourceLocation

    /// Wraps settings.
    public init(channel: String, value: SettingValue?, location: SourceLocation) {
        self.channel = channel
        self.value = value
        self.location = location
    }

    /// The kind plugins report settings problems with.
    public static let problem = DiagnosticKind(id: "invalid_channel_settings", code: "E038", severity: .error)

    /// The scalar text of a key, unresolved (`${env:TOKEN}` stays as written).
    public func raw(_ key: String) -> String? { value?[key]?.string }

    /// Where a key is written, else where the channel is.
    public func location(of key: String) -> SourceLocation { value?[key]?.location ?? location }

    /// The value of a key with `${env:NAME}` references resolved from the environment.
    public func resolved(_ key: String, in environment: ChannelEnvironment) throws(ChannelSetupError) -> String? {
        guard let text = raw(key) else { return nil }
        return try environment.resolve(text, setting: "\(channel).\(key)")
    }

    /// Whether a value is an explicit null.
    private func isNull(_ value: SettingValue) -> Bool {
        if case .null = value { return true }
        return false
    }

    /// A diagnostic about one key.
    public func problem(_ key: String, _ message: String, hint: String? = nil) -> Diagnostic {
        Self.problem("channel '\(channel)': \(message)", at: location(of: key), hint: hint)
    }

    /// Why a written value is not of its setting's kind (nil when it is, or when it is a reference or null).
    func typeProblem(_ setting: ChannelDescriptor.Setting, _ written: SettingValue) -> Diagnostic? {
        let name = setting.name
        func wrong(_ expected: String, _ hint: String) -> Diagnostic {
            Self.problem("channel '\(channel)': '\(name)' must be \(expected): \(setting.summary)", at: written.location, hint: hint)
        }
        switch (setting.kind, written) {
        case (_, .null): return nil
        case (.list, .list), (.map, .map): return nil
        case (.list, _): return wrong("a list", "write '\(name): [a, b]'")
        case (.map, _): return wrong("a map", "write '\(name): { NAME: value }'")
        case (_, .list), (_, .map):
            return wrong("a single value", "write '\(name): value' (one value, not a list or a map)")
        case (_, .scalar(let text, _)):
            if ChannelEnvironment.isReference(text) { return nil }
            switch setting.kind {
            case .integer where Int(text) == nil: return wrong("a whole number", "write e.g. '\(name): 3'")
            case .port where !(Int(text).map { (1...65_535).contains($0) } ?? false):
                return wrong("a port from 1 to 65535", "write e.g. '\(name): 587'")
            case .url where !(text.hasPrefix("http://") || text.hasPrefix("https://")):
                return wrong("an http:// or https:// URL", "write e.g. '\(name): https://example.org'")
            case .boolean where text != "true" && text != "false": return wrong("true or false", "write '\(name): true' or '\(name): false'")
            case .duration:
                guard case .success(let duration) = PolicyDuration.parse(text), !duration.isBusiness, duration.seconds > 0 else {
                    return wrong("a duration longer than zero", "write e.g. '\(name): 10s'")
                }
                return nil
            default: return nil
            }
        }
    }

    /// Values of the wrong type for their declared kind (a list where one value goes, a port out of range, …).
    public func checkTypes(_ descriptor: ChannelDescriptor) -> [Diagnostic] {
        descriptor.settings.compactMap { setting in value?[setting.name].flatMap { typeProblem(setting, $0) } }
    }

    /// Everything wrong with these settings for a plugin: its own checks, then the typed-settings check for the values
    /// its own checks said nothing about (so one value is reported once).
    public func problems(for plugin: any NotificationChannel.Type) -> [Diagnostic] {
        let own = plugin.validate(self)
        let places = Set(own.compactMap { $0.location.map { "\($0)" } })
        return own + checkTypes(plugin.descriptor).filter { problem in problem.location.map { !places.contains("\($0)") } ?? true }
    }

    /// Missing required settings and secret settings written in plain text, per the descriptor.
    public func checkRequired(_ descriptor: ChannelDescriptor) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let known = descriptor.settings.map(\.name)
        for setting in descriptor.settings {
            guard let text = raw(setting.name) else {
                if setting.required, let written = value?[setting.name], !isNull(written) {
                    problems.append(
                        Self.problem(
                            "channel '\(channel)': '\(setting.name)' must be a single value: \(setting.summary)", at: written.location,
                            hint: "write '\(setting.name): value'"))
                } else if setting.required {
                    problems.append(
                        Self.problem(
                            "channel '\(channel)' (plugin \(descriptor.id)) needs the setting '\(setting.name)': \(setting.summary)",
                            at: value?.location ?? location, hint: "add '\(setting.name):' under settings"))
                }
                continue
            }
            if setting.secret, !ChannelEnvironment.isReference(text) {
                problems.append(
                    problem(
                        setting.name, "'\(setting.name)' is a secret and must be an environment reference",
                        hint: "write '\(setting.name): ${env:\(channel.uppercased().replacingOccurrences(of: "-", with: "_"))_\(setting.name.uppercased())}'"))
            }
        }
        if case .map(let pairs, _)? = value {
            for pair in pairs where !known.contains(pair.key.value) {
                problems.append(
                    Self.problem(
                        "channel '\(channel)': the \(descriptor.id) plugin has no setting '\(pair.key.value)'\(pair.key.value.didYouMean(known))",
                        at: pair.key.location, hint: "settings of \(descriptor.id): \(known.joined(separator: ", "))"))
            }
        }
        return problems
    }
}
