import EscalationChannel
import EscalationCore

/// An example plugin: "delivers" by composing a greeting, returned as the external id (so a test can see that the
/// plugin's own code ran).
public struct HelloChannel: NotificationChannel {
    /// The plugin's id, summary and settings.
    public static let descriptor = ChannelDescriptor(
        id: "hello",
        summary: "Example dynamically loaded plugin: answers each delivery with a greeting.",
        settings: [ChannelDescriptor.Setting("greeting", "the word to greet with (default Hello)")],
        validExamples: ["{}", "{ greeting: Howdy }"],
        invalidExamples: ["{ greeting: \"\" }", "{ colour: blue }"])

    /// The greeting.
    public let greeting: String

    /// Checks that the greeting is not empty, besides the descriptor's checks.
    public static func validate(_ settings: ChannelSettings) -> [Diagnostic] {
        var problems = settings.checkRequired(descriptor)
        if let greeting = settings.raw("greeting"), greeting.isEmpty {
            problems.append(settings.problem("greeting", "the greeting is empty", hint: "write e.g. 'greeting: Hello'"))
        }
        return problems
    }

    /// Reads the greeting.
    public init(settings: ChannelSettings, environment: ChannelEnvironment) throws(ChannelSetupError) {
        greeting = try settings.resolved("greeting", in: environment) ?? "Hello"
    }

    /// Answers with `<greeting>, <address>: <subject>`.
    public func deliver(_ message: ChannelMessage, to address: String?) async -> DeliveryResult {
        .delivered(DeliveryReceipt(externalID: "\(greeting), \(address ?? "everyone"): \(message.subject ?? message.body)"))
    }
}
