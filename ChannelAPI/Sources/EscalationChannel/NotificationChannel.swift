import EscalationCore

/// A channel plugin: validates its settings at lint time and delivers messages at run time.
/// Plugins depend on this module only; the core never names a vendor.
public protocol NotificationChannel: Sendable {
    /// What the plugin is: id, summary, capabilities and settings examples.
    static var descriptor: ChannelDescriptor { get }

    /// Problems with a channel's settings, located in the policy file (run by `escalate lint`).
    static func validate(_ settings: ChannelSettings) -> [Diagnostic]

    /// Creates a delivering instance from settings; secrets are resolved from `environment` here or per delivery.
    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError)

    /// Delivers a message to an address (an e-mail address, a phone number, a room…; nil for channel-wide posts).
    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult

    /// Undoes an action the plugin applied earlier (e.g. removes an away message).
    func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult

    /// Replaces a stage message posted earlier (e.g. a status page update).
    func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult

    /// Takes a stage message down.
    func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult

    /// How long one delivery through this instance may take, in seconds (nil: the descriptor's, else the executor's).
    var deliveryTimeout: Double? { get }

    /// After a crash, before the executor decides about sends a crash cut off (their idempotency keys): stops whatever
    /// this plugin left running for them (e.g. a command that outlived the server) and returns the keys whose send is
    /// known not to have completed. A key it does not return has an unknown outcome.
    func stopInterrupted(_ keys: [String]) async -> Set<String>
}

extension NotificationChannel {
    /// By default, nothing to undo is an error the caller can see.
    public func undo(_ message: ChannelMessage, receipt: DeliveryReceipt?) async -> DeliveryResult {
        .failed(DeliveryFailure(retryable: false, reason: "the \(Self.descriptor.id) plugin cannot undo actions"))
    }

    /// By default an update is delivered as a new message.
    public func update(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        await deliver(message, to: nil)
    }

    /// By default expiry is not supported.
    public func expire(_ message: ChannelMessage, receipt: DeliveryReceipt) async -> DeliveryResult {
        .failed(DeliveryFailure(retryable: false, reason: "the \(Self.descriptor.id) plugin cannot take messages down"))
    }

    /// By default nothing outlives the process, so nothing is stopped and every outcome is unknown.
    public func stopInterrupted(_ keys: [String]) async -> Set<String> { [] }

    /// By default the plugin-wide timeout from the descriptor.
    public var deliveryTimeout: Double? { Self.descriptor.deliveryTimeout }

    /// By default only the descriptor's required settings and secret references are checked.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        settings.checkRequired(descriptor)
    }
}
