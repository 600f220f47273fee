import EscalationChannel
import EscalationCore
import Foundation

/// A channel plugin that records every delivery in memory and fails on demand; for tests of the executor.
/// Each test makes its own `Log` and hands it to the plugin through the executor's environment
/// (`log.environment()`, or `ChannelEnvironment.adding(log)`), so tests running in parallel never share one.
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

    /// A test's log of calls, and the failures it scripts (every instance created with it writes to it).
    public final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [Call] = []
        private var failures: [String: DeliveryFailure] = [:]
        private var contactFailures: [String: DeliveryFailure] = [:]
        private var answers: [String: DeliveryAnswer] = [:]
        private var leftRunning: Set<String> = []
        private var stopRequests: [[String]] = []
        private var waiters: [(count: Int, waiter: CheckedContinuation<[Call], Never>)] = []

        /// A new log.
        public init() {}

        /// Everything recorded.
        public var all: [Call] { lock.withLock { calls } }

        /// A channel environment handing this log to the recording plugin, with these environment variables.
        public func environment(_ variables: [String: String] = [:]) -> ChannelEnvironment { ChannelEnvironment(variables).adding(self) }

        /// Returns the calls once at least `count` have been recorded (at once if they have).
        public func waitForCalls(_ count: Int) async -> [Call] {
            await withCheckedContinuation { (waiter: CheckedContinuation<[Call], Never>) in
                let ready: [Call]? = lock.withLock {
                    if calls.count >= count { return calls }
                    waiters.append((count, waiter))
                    return nil
                }
                if let ready { waiter.resume(returning: ready) }
            }
        }

        /// Makes deliveries to an address fail with a failure.
        public func fail(address: String, with failure: DeliveryFailure) { lock.withLock { failures[address] = failure } }

        /// Lets deliveries to an address succeed again.
        public func heal(address: String) { lock.withLock { failures[address] = nil } }

        /// Makes deliveries on a channel fail, to one contact or (nil) to everyone.
        public func fail(channel: String, contact: String?, with failure: DeliveryFailure) {
            lock.withLock { contactFailures["\(channel)/\(contact ?? "*")"] = failure }
        }

        /// Pretends the plugin left work running for these deliveries (idempotency keys) when a crash interrupted them:
        /// `stopInterrupted` stops it and reports those keys as not sent.
        public func leaveRunning(_ keys: [String]) { lock.withLock { leftRunning.formUnion(keys) } }

        /// The keys each `stopInterrupted` call was asked about.
        public var stopped: [[String]] { lock.withLock { stopRequests } }

        func stop(_ keys: [String]) -> Set<String> {
            lock.withLock {
                stopRequests.append(keys)
                let found = leftRunning.intersection(keys)
                leftRunning.subtract(found)
                return found
            }
        }

        /// Makes deliveries on a channel report an answer, to one contact or (nil) to everyone.
        public func answer(channel: String, contact: String?, with answer: DeliveryAnswer) {
            lock.withLock { answers["\(channel)/\(contact ?? "*")"] = answer }
        }

        /// The answer scripted for a call, if any.
        func answer(for call: Call) -> DeliveryAnswer? {
            let contact = call.message.metadata["contact"] ?? ""
            return lock.withLock { answers["\(call.channel)/\(contact)"] ?? answers["\(call.channel)/*"] }
        }

        func record(_ call: Call) -> DeliveryFailure? {
            let (failure, woken): (DeliveryFailure?, [(CheckedContinuation<[Call], Never>, [Call])]) = lock.withLock {
                calls.append(call)
                var woken: [(CheckedContinuation<[Call], Never>, [Call])] = []
                waiters.removeAll { entry in
                    guard calls.count >= entry.count else { return false }
                    woken.append((entry.waiter, calls))
                    return true
                }
                if let failure = call.address.flatMap({ failures[$0] }) { return (failure, woken) }
                let contact = call.message.metadata["contact"] ?? ""
                return (contactFailures["\(call.channel)/\(contact)"] ?? contactFailures["\(call.channel)/*"], woken)
            }
            for (waiter, calls) in woken { waiter.resume(returning: calls) }
            return failure
        }
    }

    /// The plugin id `recording`.
    public static let descriptor = ChannelDescriptor(
        id: "recording", summary: "Records deliveries in memory (tests only).", capabilities: [.undo, .expiry, .update, .posts, .answers])

    /// The channel id this instance delivers for.
    public let channel: String
    /// The log it records to (the environment's).
    public let log: Log

    /// Creates the plugin; the environment must carry a `Log`.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        guard let log = environment.service(Log.self) else {
            throw ChannelSetupError("the recording plugin needs a RecordingChannel.Log in its environment (log.environment())")
        }
        self.channel = settings.channel
        self.log = log
    }

    func record(_ action: String, _ message: ChannelMessage, _ address: String?) -> DeliveryResult {
        let call = Call(action: action, channel: channel, address: address, message: message)
        if let failure = log.record(call) { return .failed(failure) }
        return .delivered(DeliveryReceipt(externalID: "rec-\(message.idempotencyKey)", answer: action == "deliver" ? log.answer(for: call) : nil))
    }

    /// Records a delivery.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult { record("deliver", message, address) }
    /// Records an undo.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult { record("undo", message, nil) }
    /// Stops what the log says was left running for these deliveries.
    public func stopInterrupted(_ keys: [String]) async -> Set<String> { log.stop(keys) }
    /// Records an expiry.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult { record("expire", message, nil) }
}
