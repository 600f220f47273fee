import EscalationChannel
import EscalationCore
import Foundation

/// Appends one JSON object per delivery to a file (JSON lines); the external id is the line number.
public struct FileChannel: NotificationChannel {
    /// The plugin's id, summary, capabilities and settings.
    public static let descriptor = ChannelDescriptor(
        id: "file",
        summary: "Appends one JSON object per delivery to a file (JSON lines); the external id is the line number.",
        capabilities: [.cc, .idempotency, .update, .expiry, .undo, .posts],
        settings: [ChannelDescriptor.Setting("path", required: true, "the file to append to (created if missing; its folder must exist)")],
        validExamples: ["{ path: /var/log/escalate/deliveries.jsonl }", "path: ${env:DELIVERY_LOG}", "{ path: deliveries.jsonl }"],
        invalidExamples: ["{}", "{ path: \"\" }", "{ path: [a, b] }", "{ path: out.jsonl, mode: append }"])

    /// The file written to.
    public let path: String
    private let channel: String

    /// Checks that `path` is a non-empty single value.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor)
        if let text = settings.raw("path"), text.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(settings.problem("path", "'path' is empty", hint: "write the file to append to, e.g. 'path: deliveries.jsonl'"))
        }
        return problems
    }

    /// Reads `path` (an `${env:NAME}` reference is resolved here).
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        guard let path = try settings.resolved("path", in: environment), !path.isEmpty else {
            throw ChannelSetupError("\(settings.channel).path is not set; the file plugin needs a file to append to")
        }
        self.init(channel: settings.channel, path: path)
    }

    /// A file channel appending to `path`.
    public init(channel: String, path: String) {
        self.channel = channel
        self.path = path
    }

    /// Appends a `deliver` record.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        append(DeliveryRecord(action: "deliver", channel: channel, address: address, message: message, receipt: nil))
    }

    /// Appends an `undo` record.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult {
        append(DeliveryRecord(action: "undo", channel: channel, address: nil, message: message, receipt: receipt))
    }

    /// Appends an `update` record.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        append(DeliveryRecord(action: "update", channel: channel, address: nil, message: message, receipt: receipt))
    }

    /// Appends an `expire` record.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        append(DeliveryRecord(action: "expire", channel: channel, address: nil, message: message, receipt: receipt))
    }

    private func append(_ record: DeliveryRecord) -> DeliveryResult {
        // Written by hand, byte for byte what `DeliveryJSON.line(record)` encodes (strings cannot fail to encode).
        switch JSONLinesFile.shared(path).append(Data(record.jsonBytes)) {
        case .success(let number): return .delivered(DeliveryReceipt(externalID: String(number)))
        case .failure(let failure): return .failed(failure)
        }
    }
}
