import ArgumentParser
import EscalationChannel
import Foundation

extension Escalate {
    /// `escalate plugins list`: the channel plugins this escalate can use.
    struct Plugins: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plugins",
            abstract: "List the channel plugins: built in, and loaded with --plugin or ESCALATE_PLUGIN_DIR.",
            subcommands: [List.self], defaultSubcommand: List.self)

        /// `escalate plugins list [--format text|json]`.
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List each channel plugin's id, summary, capabilities and settings.",
                discussion: "Exit status: 0 listed, 2 usage error or a plugin that cannot be loaded.")

            @Option(help: "Output format: text or json.")
            var format: ReportFormat = .text

            @OptionGroup var plugins: PluginOptions

            /// One plugin as JSON.
            struct Entry: Encodable {
                /// One setting as JSON.
                struct Setting: Encodable {
                    var name: String
                    var required: Bool
                    var secret: Bool
                    var summary: String
                }

                var id: String
                var summary: String
                var capabilities: [String]
                var settings: [Setting]
            }

            func run() throws {
                let descriptors = try plugins.registry().plugins.map { $0.descriptor }.sorted { $0.id < $1.id }
                switch format {
                case .json:
                    let entries = descriptors.map { descriptor in
                        Entry(
                            id: descriptor.id, summary: descriptor.summary, capabilities: Self.capabilities(descriptor),
                            settings: descriptor.settings.map {
                                Entry.Setting(name: $0.name, required: $0.required, secret: $0.secret, summary: $0.summary)
                            })
                    }
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(entries), as: UTF8.self))
                case .text:
                    let width = (descriptors.map(\.id.count).max() ?? 0) + 2
                    for descriptor in descriptors {
                        let pad = String(repeating: " ", count: width)
                        print(descriptor.id.padding(toLength: width, withPad: " ", startingAt: 0) + descriptor.summary)
                        let capabilities = Self.capabilities(descriptor)
                        print(pad + "capabilities: " + (capabilities.isEmpty ? "(plain delivery)" : capabilities.joined(separator: ", ")))
                        let settings = descriptor.settings.map { setting in
                            setting.name + (setting.required ? " (required)" : "") + (setting.secret ? " (secret)" : "")
                        }
                        print(pad + "settings: " + (settings.isEmpty ? "(none)" : settings.joined(separator: ", ")))
                    }
                }
            }

            /// Capabilities in declaration order.
            static func capabilities(_ descriptor: ChannelDescriptor) -> [String] {
                ChannelDescriptor.Capability.allCases.filter { descriptor.capabilities.contains($0) }.map(\.rawValue)
            }
        }
    }
}
