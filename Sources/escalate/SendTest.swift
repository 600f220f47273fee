import ArgumentParser
import EscalationChannel
import EscalationCore
import EscalationPolicy
import Foundation

extension Escalate {
    /// `escalate send-test PATH --channel NAME --to CONTACT`: send one real test message through a channel.
    struct SendTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-test",
            abstract: "Send a real test notification through one channel of an organisation, to one contact.",
            discussion: """
                The channel is built from its settings, with ${env:NAME} references read from this process's environment. \
                Exit status: 0 delivered, 1 the channel could not be set up or the delivery failed, 2 usage or I/O error.
                """)

        @Argument(help: "A policy file or an organisation folder.")
        var path: String

        @Option(help: "The channel id (under 'channels:').")
        var channel: String

        @Option(help: "The contact id to send to (its address for the channel is used).")
        var to: String

        @OptionGroup var plugins: PluginOptions

        func run() async throws {
            let registry = try plugins.registry()
            let loaded: [PolicyLoader.Loaded]
            do {
                loaded = try PolicyLoader().load(paths: [path])
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.usage)
            }
            let organisations = loaded.map(\.organisation)
            guard let organisation = organisations.first(where: { $0.channel(channel) != nil }),
                let config = organisation.channel(channel)
            else {
                let known = organisations.flatMap { $0.channels.map(\.id.value) }
                printError("error: no channel '\(channel)'\(channel.didYouMean(known)); the channels are: \(known.joined(separator: ", "))")
                throw ExitCode(ExitStatus.usage)
            }
            guard let contact = organisation.contact(to) else {
                let known = organisation.contacts.map(\.id.value)
                printError("error: no contact '\(to)'\(to.didYouMean(known)) in \(organisation.displayName)")
                throw ExitCode(ExitStatus.usage)
            }
            guard let address = contact.address(config.addressKind) else {
                printError(
                    "error: contact '\(to)' has no '\(config.addressKind)' address, which channel '\(channel)' reads; "
                        + "add it under the contact's addresses")
                throw ExitCode(ExitStatus.usage)
            }
            guard let plugin = registry.plugin(config.plugin.value) else {
                printError(
                    "error: channel '\(channel)' uses the plugin '\(config.plugin.value)', which is not installed"
                        + "\(config.plugin.value.didYouMean(registry.ids)); installed: \(registry.ids.sorted().joined(separator: ", "))")
                throw ExitCode(ExitStatus.usage)
            }
            let settings = ChannelSettings(channel: channel, value: config.settings, location: config.id.location)
            let problems = plugin.validate(settings).filter { $0.severity == .error }
            if !problems.isEmpty {
                problems.sorted().forEach { printError($0.description) }
                throw ExitCode(ExitStatus.failed)
            }
            let instance: any NotificationChannel
            do {
                instance = try plugin.init(settings: settings, environment: ChannelEnvironment(ProcessInfo.processInfo.environment))
            } catch {
                printError("error: channel '\(channel)' cannot be set up: \(error.description)")
                throw ExitCode(ExitStatus.failed)
            }
            let now = Date()
            let message = ChannelMessage(
                idempotencyKey: "send-test-\(UUID().uuidString.lowercased())", incidentID: "send-test",
                subject: "Test notification from Escalate",
                body: "Test notification from Escalate: channel '\(channel)' (plugin \(plugin.descriptor.id)) to \(contact.id.value) "
                    + "<\(address)> at \(Instant(seconds: Int64(now.timeIntervalSince1970))). No action is needed.",
                metadata: ["test": "true"])
            print("sending a test notification through '\(channel)' (plugin \(plugin.descriptor.id)) to \(to) <\(address)>…")
            switch await instance.deliver(message, to: address) {
            case .delivered(let receipt):
                let answer = receipt.answer.map { "; \($0.rawValue)" } ?? ""
                print("delivered (idempotency key \(message.idempotencyKey); external id \(receipt.externalID ?? "none")\(answer))")
            case .failed(let failure):
                printError("failed (\(failure.retryable ? "retryable" : "not retryable")): \(failure.reason)")
                throw ExitCode(ExitStatus.failed)
            }
        }
    }
}
