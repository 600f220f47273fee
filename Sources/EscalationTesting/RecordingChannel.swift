import EscalationChannel
import EscalationCore
import Foundation

/// A channel plugin that records every delivery in memory and fails on demand; for tests of the executor.
public struct RecordingChannel: NotificationChannel {
    /// One recorded call.
    public struct Call: Sendable, Hashable {
        /// `deliver`, `undo`, `update` or `expire`.
        public var action: String
        /// The channel id (from the policy).
        public var channel: String = ""
        /// The address.
        public var address: String?
        /// The message.
        public var message: ChannelMessage
    }

    /// Shared log of calls (all instances write to the same log, so tests can read it).
    public final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [Call] = []
        private var failures: [String: DeliveryFailure] = [:]
        private var contactFailures: [String: DeliveryFailure] = [:]

        /// A new log.
        public init() {}

        /// Everything recorded.
        public var all: [Call] { lock.withLock { calls } }

        /// Makes deliveries to an address fail with a failure.
        public func fail(address: String, with failure: DeliveryFailure) { lock.withLock { failures[address] = failure } }

        /// Makes deliveries on a channel fail, to one contact or (nil) to everyone.
        public func fail(channel: String, contact: String?, with failure: DeliveryFailure) {
            lock.withLock { contactFailures["\(channel)/\(contact ?? "*")"] = failure }
        }

        func record(_ call: Call) -> DeliveryFailure? {
            lock.withLock {
                calls.append(call)
                if let failure = call.address.flatMap({ failures[$0] }) { return failure }
                let contact = call.message.metadata["contact"] ?? ""
                return contactFailures["\(call.channel)/\(contact)"] ?? contactFailures["\(call.channel)/*"]
            }
        }
    }

    /// The log every instance records to.
    nonisolated(unsafe) public static var log = Log()

    /// The plugin id `recording`.
    public static let descriptor = ChannelDescriptor(
        id: "recording", summary: "Records deliveries in memory (tests only).", capabilities: [.undo, .expiry, .update])

    /// The channel id this instance delivers for.
    public let channel: String

    /// Creates the plugin.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) { channel = settings.channel }

    func record(_ action: String, _ message: ChannelMessage, _ address: String?) -> DeliveryResult {
        if let failure = Self.log.record(Call(action: action, channel: channel, address: address, message: message)) { return .failed(failure) }
        return .delivered(DeliveryReceipt(externalID: "rec-\(message.idempotencyKey)"))
    }

    /// Records a delivery.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult { record("deliver", message, address) }
    /// Records an undo.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult { record("undo", message, nil) }
    /// Records an expiry.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult { record("expire", message, nil) }
}
