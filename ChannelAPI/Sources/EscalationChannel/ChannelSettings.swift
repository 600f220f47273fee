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

    /// Missing required settings, and secret settings written in plain text, per the descriptor.
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
