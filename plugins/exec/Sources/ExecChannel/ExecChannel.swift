import EscalationChannel
import EscalationCore
import Foundation

/// Runs a command per delivery: one JSON request on its stdin, one JSON result on its stdout; stopped at a timeout.
public struct ExecChannel: NotificationChannel {
    /// The plugin's id, summary, capabilities and settings.
    public static let descriptor = ChannelDescriptor(
        id: "exec",
        summary: "Runs a command per delivery: one JSON request on stdin, one JSON result on stdout.",
        capabilities: [.idempotency, .update, .expiry, .undo, .posts, .answers],
        settings: [
            ChannelDescriptor.Setting(
                "command", required: true,
                "the program: a name looked up in PATH, or a path (relative paths are relative to the policy file's folder)"),
            ChannelDescriptor.Setting("args", kind: .list, "a list of arguments; each may be an ${env:NAME} reference"),
            ChannelDescriptor.Setting("timeout", kind: .duration, "how long one run may take (default 10s); then SIGTERM, and SIGKILL 2s later"),
            ChannelDescriptor.Setting("env", kind: .map, "environment variables for the command (NAME: value or ${env:NAME}); nothing else is inherited but PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, USER"),
        ],
        validExamples: [
            "{ command: notify-ops }",
            "{ command: /usr/local/bin/notify, args: [--team, ops], timeout: 30s }",
            "command: notify-ops\nenv: { OPS_API_TOKEN: \"${env:OPS_API_TOKEN}\", OPS_REGION: eu }",
        ],
        invalidExamples: [
            "{}", "{ command: \"\" }", "{ command: notify, args: --team }", "{ command: notify, timeout: 10 }",
            "{ command: notify, timeout: 1 business day }", "{ command: notify, env: [A] }", "{ command: notify, env: { 1X: y } }",
            "{ command: ./missing-script.sh }",
        ])

    /// The executor waits for the run's own timeout and kill grace, so the plugin reports why it stopped the command.
    public var deliveryTimeout: Double? { timeout + killGrace + 3 }

    /// The default time a run may take.
    public static let defaultTimeout: Double = 10

    /// The program.
    public let command: String
    /// Its arguments.
    public let arguments: [String]
    /// Its complete environment.
    public let environment: [String: String]
    /// Seconds until it is stopped.
    public let timeout: Double
    /// Seconds between SIGTERM and SIGKILL.
    public let killGrace: Double
    private let channel: String

    /// Checks the command, arguments, timeout and environment map.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor)
        if let text = settings.raw("command") {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(settings.problem("command", "'command' is empty", hint: "name the program to run"))
            } else if !ChannelEnvironment.isReference(text), text.contains("/"), !text.hasPrefix("/") {
                let path = resolve(text, relativeTo: settings.location.file)
                if !FileManager.default.fileExists(atPath: path) {
                    problems.append(
                        settings.problem(
                            "command", "the command '\(text)' does not exist (looked for \(path))",
                            hint: "relative commands are relative to the folder of the policy file"))
                } else if !FileManager.default.isExecutableFile(atPath: path) {
                    problems.append(settings.problem("command", "the command '\(text)' is not executable", hint: "chmod +x \(path)"))
                }
            }
        }
        if let value = settings.value?["args"] {
            if case .list(let items, _) = value {
                for item in items where item.string == nil {
                    problems.append(
                        ChannelSettings.problem(
                            "channel '\(settings.channel)': each argument must be a single value", at: item.location,
                            hint: "write args as a list of words, e.g. [--team, ops]"))
                }
            } else {
                problems.append(settings.problem("args", "'args' must be a list", hint: "write e.g. 'args: [--team, ops]'"))
            }
        }
        if let value = settings.value?["timeout"] {
            if value.string == nil {
                problems.append(settings.problem("timeout", "'timeout' must be a duration", hint: "write a duration such as 10s, 30s or 2m"))
            } else if case .failure(let problem) = timeoutSeconds(value.string) {
                problems.append(settings.problem("timeout", problem.description, hint: "write a duration such as 10s, 30s or 2m"))
            }
        }
        if let value = settings.value?["env"] {
            if case .map(let pairs, _) = value {
                for pair in pairs {
                    if !isVariableName(pair.key.value) {
                        problems.append(
                            ChannelSettings.problem(
                                "channel '\(settings.channel)': '\(pair.key.value)' is not an environment variable name",
                                at: pair.key.location, hint: "use letters, digits and '_', not starting with a digit"))
                    }
                    if pair.value.string == nil {
                        problems.append(
                            ChannelSettings.problem(
                                "channel '\(settings.channel)': the environment variable \(pair.key.value) must have a single value",
                                at: pair.value.location, hint: "write 'NAME: value' or 'NAME: ${env:OTHER}'"))
                    }
                }
            } else {
                problems.append(settings.problem("env", "'env' must be a map of NAME: value", hint: "write e.g. 'env: { OPS_REGION: eu }'"))
            }
        }
        return problems
    }

    /// Resolves the command, arguments and environment (with `${env:NAME}` references) and the timeout.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let name = settings.channel
        guard let raw = try settings.resolved("command", in: environment), !raw.isEmpty else {
            throw ChannelSetupError("\(name).command is not set; the exec plugin needs a program to run")
        }
        let command = raw.contains("/") ? Self.resolve(raw, relativeTo: settings.location.file) : raw
        var arguments: [String] = []
        if case .list(let items, _)? = settings.value?["args"] {
            for (index, item) in items.enumerated() {
                guard let text = item.string else { throw ChannelSetupError("\(name).args[\(index)] must be a single value") }
                arguments.append(try environment.resolve(text, setting: "\(name).args[\(index)]"))
            }
        }
        let timeout: Double
        switch Self.timeoutSeconds(settings.raw("timeout")) {
        case .success(let seconds): timeout = seconds
        case .failure(let problem): throw ChannelSetupError("\(name).timeout: \(problem.description)")
        }
        var variables = Self.inheritedEnvironment()
        if case .map(let pairs, _)? = settings.value?["env"] {
            for pair in pairs {
                guard let text = pair.value.string else { throw ChannelSetupError("\(name).env.\(pair.key.value) must be a single value") }
                variables[pair.key.value] = try environment.resolve(text, setting: "\(name).env.\(pair.key.value)")
            }
        }
        self.init(channel: name, command: command, arguments: arguments, environment: variables, timeout: timeout)
    }

    /// An exec channel with everything given; for tests and embedding.
    public init(
        channel: String, command: String, arguments: [String] = [], environment: [String: String] = ExecChannel.inheritedEnvironment(),
        timeout: Double = ExecChannel.defaultTimeout, killGrace: Double = 2
    ) {
        self.channel = channel
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.timeout = timeout
        self.killGrace = killGrace
    }

    /// Kills commands a crashed server left running for these deliveries (found by the key in their environment);
    /// a command killed before it reported is a send that did not complete.
    public func stopInterrupted(_ keys: [String]) async -> Set<String> {
        OrphanReaper().stop(Set(keys))
    }

    /// Sends a `deliver` request.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        await run(ExecRequest(action: "deliver", channel: channel, address: address, message: message, receipt: nil))
    }

    /// Sends an `undo` request.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult {
        await run(ExecRequest(action: "undo", channel: channel, address: nil, message: message, receipt: receipt))
    }

    /// Sends an `update` request.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        await run(ExecRequest(action: "update", channel: channel, address: nil, message: message, receipt: receipt))
    }

    /// Sends an `expire` request.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        await run(ExecRequest(action: "expire", channel: channel, address: nil, message: message, receipt: receipt))
    }

    private func run(_ request: ExecRequest) async -> DeliveryResult {
        let input: Data
        do {
            input = try request.jsonLine()
        } catch {
            return .failed(DeliveryFailure(retryable: false, reason: "cannot encode the request as JSON: \(error)"))
        }
        // The delivery's key marks the command and what it starts, so a restarted server can find them (OrphanReaper).
        var environment = environment
        environment[OrphanReaper.variable] = request.message.idempotencyKey
        let runner = ProcessRunner(
            executable: command, arguments: arguments, environment: environment, timeout: timeout, killGrace: killGrace)
        switch await runner.run(input: input) {
        case .success(let outcome): return ExecOutcome.result(outcome, command: command, timeout: timeout)
        case .failure(let error):
            return .failed(DeliveryFailure(retryable: false, reason: "cannot run '\(command)': \(error.description)"))
        }
    }

    /// The variables a command gets from this process: PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, USER (when set).
    public static func inheritedEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER"].contains($0.key) }
    }

    /// A timeout setting in seconds (the default when absent).
    static func timeoutSeconds(_ text: String?) -> Result<Double, ChannelSetupError> {
        guard let text else { return .success(defaultTimeout) }
        switch PolicyDuration.parse(text) {
        case .failure(let error): return .failure(ChannelSetupError("'\(text)' is not a duration: \(error.message)"))
        case .success(let duration):
            if duration.isBusiness { return .failure(ChannelSetupError("the timeout must be wall-clock time, not business time")) }
            if duration.seconds <= 0 { return .failure(ChannelSetupError("the timeout must be longer than 0s")) }
            return .success(Double(duration.seconds))
        }
    }

    /// A relative command path joined to the folder of the policy file that declares it.
    static func resolve(_ command: String, relativeTo file: String) -> String {
        guard !command.hasPrefix("/") else { return command }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        return folder.appendingPathComponent(command).standardizedFileURL.path
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isVariableName(_ name: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}
