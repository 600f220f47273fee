import EscalationChannel
import EscalationCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints one readable line per delivery to standard output or standard error; for trying policies out and for logs.
public struct ConsoleChannel: NotificationChannel {
    /// The streams the plugin can write to.
    public enum Stream: String, Sendable, CaseIterable {
        /// Standard output (the default).
        case stdout
        /// Standard error.
        case stderr
    }

    /// The plugin's id, summary, capabilities and settings.
    public static let descriptor = ChannelDescriptor(
        id: "console",
        summary: "Prints one readable line per delivery to standard output or standard error.",
        capabilities: [.cc, .update, .expiry, .undo, .posts],
        settings: [ChannelDescriptor.Setting("stream", "stdout (default) or stderr")],
        validExamples: ["{}", "{ stream: stderr }", "stream: stdout"],
        invalidExamples: ["{ stream: stdrr }", "{ stream: [stdout] }", "{ colour: true }"])

    /// Where lines go.
    public let stream: Stream
    private let channel: String
    private let sink: @Sendable (String) -> Void

    /// Checks that `stream` is stdout or stderr and that there are no other settings.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor)
        if let value = settings.value?["stream"] {
            if let text = value.string {
                if Stream(rawValue: text) == nil {
                    problems.append(
                        settings.problem(
                            "stream", "'\(text)' is not a stream\(text.didYouMean(Stream.allCases.map(\.rawValue)))",
                            hint: "write 'stream: stdout' or 'stream: stderr'"))
                }
            } else {
                problems.append(settings.problem("stream", "'stream' must be a word", hint: "write 'stream: stdout' or 'stream: stderr'"))
            }
        }
        return problems
    }

    /// Reads `stream` (stdout unless set).
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        let text = try settings.resolved("stream", in: environment) ?? Stream.stdout.rawValue
        guard let stream = Stream(rawValue: text) else {
            throw ChannelSetupError("\(settings.channel).stream must be stdout or stderr, not '\(text)'")
        }
        let fd = stream == .stdout ? STDOUT_FILENO : STDERR_FILENO
        self.init(channel: settings.channel, stream: stream) { line in Self.writeLine(line, to: fd) }
    }

    /// A console channel writing its lines (each ending in a newline) to `write`; for tests and embedding.
    public init(channel: String, stream: Stream = .stdout, write: @escaping @Sendable (String) -> Void) {
        self.channel = channel
        self.stream = stream
        self.sink = write
    }

    /// Prints the message and returns its idempotency key as the external id.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        emit("deliver", message, to: address, receipt: nil)
    }

    /// Prints that the action is undone.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult {
        emit("undo", message, to: nil, receipt: receipt)
    }

    /// Prints the replacement message.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        emit("update", message, to: nil, receipt: receipt)
    }

    /// Prints that the message is taken down.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        emit("expire", message, to: nil, receipt: receipt)
    }

    private func emit(_ action: String, _ message: ChannelMessage, to address: String?, receipt: DeliveryReceipt?) -> DeliveryResult {
        sink(Self.line(action: action, channel: channel, message: message, to: address, receipt: receipt) + "\n")
        return .delivered(DeliveryReceipt(externalID: receipt?.externalID ?? message.idempotencyKey))
    }

    /// One line: `[escalate] <time> <channel> <action> <kind> → <address> (incident …, cc …): subject — body`.
    public static func line(
        action: String, channel: String, message: ChannelMessage, to address: String?, receipt: DeliveryReceipt?, now: Date = Date()
    ) -> String {
        let time = Instant(seconds: Int64(now.timeIntervalSince1970.rounded(.down))).description
        var details = ["incident \(message.incidentID)"]
        if !message.cc.isEmpty { details.append("cc \(message.cc.joined(separator: ", "))") }
        if let external = receipt?.externalID { details.append("ref \(external)") }
        if let expires = message.expiresAt { details.append("expires \(expires)") }
        let text = [message.subject, message.body].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
        let target = address.map { " → \($0)" } ?? ""
        let head = "[escalate] \(time) \(channel) \(action) \(message.kind.rawValue)\(target) (\(details.joined(separator: "; ")))"
        return "\(head): \(oneLine(text))"
    }

    /// Writes the whole line with as few `write` calls as the system allows (one, normally), so concurrent lines
    /// do not interleave; a failed write (a closed stream) is dropped.
    static func writeLine(_ line: String, to fd: Int32) {
        var bytes = Array(line.utf8)
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes.removeFirst(written)
        }
    }

    /// Line breaks shown as ` ⏎ ` so each delivery stays on one line.
    static func oneLine(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ⏎ ")
    }
}
