import ConsoleChannel
import EscalationChannel
import EscalationCore
import ExecChannel
import FileChannel

/// The channel plugins rule examples are linted with: the real console, file and exec plugins, and permissive
/// stand-ins for the plugin ids the examples' base organisation and secret examples name (email, sms, slack,
/// webhook), so the examples do not depend on those plugins' exact settings.
enum TestChannels {
    /// The registry.
    static let registry: ChannelRegistry = {
        var registry = ChannelRegistry()
        let plugins: [any NotificationChannel.Type] = [
            ConsoleChannel.self, FileChannel.self, ExecChannel.self, StandInEmail.self, StandInSMS.self, StandInSlack.self,
            StandInWebhook.self,
        ]
        for plugin in plugins {
            do {
                try registry.register(plugin)
            } catch {
                preconditionFailure("test channel registry: \(error)")
            }
        }
        return registry
    }()

    /// The real plugins whose descriptor examples are tested.
    static let real: [any NotificationChannel.Type] = [ConsoleChannel.self, FileChannel.self, ExecChannel.self]
}

/// A plugin that accepts any settings and never delivers.
protocol StandInChannel: NotificationChannel {
    /// Creates the stand-in.
    init()
}

extension StandInChannel {
    static func validate(_ settings: ChannelSettings) -> [Diagnostic] { [] }

    init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) { self.init() }

    func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        .failed(DeliveryFailure(retryable: false, reason: "\(Self.descriptor.id) is a stand-in"))
    }
}

/// Stand-in for the email plugin.
struct StandInEmail: StandInChannel {
    static let descriptor = ChannelDescriptor(id: "email", summary: "stand-in")
}

/// Stand-in for the sms plugin.
struct StandInSMS: StandInChannel {
    static let descriptor = ChannelDescriptor(id: "sms", summary: "stand-in")
}

/// Stand-in for the slack plugin; it takes answers, verified with `signing_secret`, as the real one.
struct StandInSlack: StandInChannel, InboundChannel {
    static let descriptor = ChannelDescriptor(id: "slack", summary: "stand-in", capabilities: [.posts])
    static let inboundSecretSetting = "signing_secret"

    func receive(_ request: InboundRequest) -> InboundOutcome { .refused(status: 403, reason: "a stand-in") }
}

/// Stand-in for the webhook plugin.
struct StandInWebhook: StandInChannel {
    static let descriptor = ChannelDescriptor(id: "webhook", summary: "stand-in", capabilities: [.posts])
}
