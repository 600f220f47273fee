// Shared source: this file is linked (symlink) into every built-in network plugin module, each of which compiles
// its own internal copy.

import EscalationChannel
import EscalationCore
import Foundation

/// Checks and readers for the kinds of settings the network plugins share: URLs, durations, flags and maps.
/// Lint-time checks skip `${env:…}` references (their values are only known at start); start-time readers
/// check the resolved value and never quote it, since it may be a secret.
extension ChannelSettings {
    /// A problem when a URL setting written as text is not an http(s) URL with a host.
    func checkURL(_ key: String) -> [Diagnostic] {
        guard let text = raw(key), !ChannelEnvironment.isReference(text), Self.httpURL(text) == nil else { return [] }
        return [
            problem(
                key, "'\(key)' must be an http or https URL with a host, not '\(text)'",
                hint: "write e.g. '\(key): https://example.org/path'")
        ]
    }

    /// A problem when a duration setting is not a wall duration such as `10s` between 1s and 10m.
    func checkDuration(_ key: String) -> [Diagnostic] {
        guard let text = raw(key) else {
            if let value = value?[key] { return [problem(key, "'\(key)' must be a duration such as 10s, not a \(value.kindName)")] }
            return []
        }
        switch Self.duration(text) {
        case .success: return []
        case .failure(let message): return [problem(key, "'\(key)': \(message)", hint: "write e.g. '\(key): 10s'")]
        }
    }

    /// A problem when a setting is not `true` or `false`.
    func checkFlag(_ key: String) -> [Diagnostic] {
        guard value?[key] != nil, flag(key) == nil else { return [] }
        return [problem(key, "'\(key)' must be true or false", hint: "write '\(key): true' or '\(key): false'")]
    }

    /// A problem when a setting is present but is not a map of names to text.
    func checkTextMap(_ key: String) -> [Diagnostic] {
        guard let setting = value?[key] else { return [] }
        guard case .map(let pairs, _) = setting else {
            return [problem(key, "'\(key)' must be a map of names to values, not a \(setting.kindName)")]
        }
        return pairs.compactMap { pair in
            pair.value.string == nil
                ? Self.problem(
                    "channel '\(channel)': '\(key).\(pair.key.value)' must be text, not a \(pair.value.kindName)",
                    at: pair.value.location)
                : nil
        }
    }

    /// A setting resolved from the environment; missing or empty is an error naming the setting.
    func required(_ key: String, in environment: ChannelEnvironment) throws(ChannelSetupError) -> String {
        guard let text = try resolved(key, in: environment), !text.isEmpty else {
            throw ChannelSetupError("\(channel).\(key) is not set")
        }
        return text
    }

    /// A URL setting (or its default) resolved and checked; the error names the setting, never the value.
    func url(_ key: String, default fallback: String? = nil, in environment: ChannelEnvironment) throws(ChannelSetupError) -> String {
        let text = try resolved(key, in: environment) ?? fallback
        guard let text else { throw ChannelSetupError("\(channel).\(key) is not set") }
        guard Self.httpURL(text) != nil else { throw ChannelSetupError("\(channel).\(key) is not an http or https URL with a host") }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// The `timeout` setting, or a default.
    func timeout(default fallback: Duration = .seconds(10)) throws(ChannelSetupError) -> Duration {
        guard let text = raw("timeout") else { return fallback }
        switch Self.duration(text) {
        case .success(let duration): return duration
        case .failure(let message): throw ChannelSetupError("\(channel).timeout: \(message)")
        }
    }

    /// A `true`/`false` setting; nil when absent or not a flag.
    func flag(_ key: String) -> Bool? {
        switch raw(key)?.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    /// The pairs of a map setting whose values are text, in order.
    func textMap(_ key: String) -> [(name: String, value: String)] {
        guard case .map(let pairs, _)? = value?[key] else { return [] }
        return pairs.compactMap { pair in pair.value.string.map { (pair.key.value, $0) } }
    }

    /// The URL when text is an absolute http(s) URL with a host.
    static func httpURL(_ text: String) -> URL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        return components.url
    }

    /// Parses a wall duration between 1s and 10m.
    static func duration(_ text: String) -> Result<Duration, DurationProblem> {
        switch PolicyDuration.parse(text) {
        case .failure(let error): return .failure(DurationProblem(error.message))
        case .success(let duration) where duration.isBusiness:
            return .failure(DurationProblem("a timeout is wall time, not business time"))
        case .success(let duration) where duration.seconds < 1 || duration.seconds > 600:
            return .failure(DurationProblem("must be between 1s and 10m"))
        case .success(let duration): return .success(.seconds(duration.seconds))
        }
    }

    /// Why a duration setting is wrong.
    struct DurationProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension SettingValue {
    /// "map", "list", "null" or "value", for messages.
    var kindName: String {
        switch self {
        case .scalar: "value"
        case .list: "list"
        case .map: "map"
        case .null: "null"
        }
    }
}
