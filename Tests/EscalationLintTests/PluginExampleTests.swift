import EscalationChannel
import EscalationCore
import EscalationLint
import Testing

/// Each plugin descriptor's settings examples, linted as a channel of the example organisation: valid examples
/// must lint without errors, invalid ones must produce an `invalid_channel_settings` error.
@Suite("Plugin descriptor examples")
struct PluginExampleTests {
    static let plugins: [String] = TestChannels.real.map { $0.descriptor.id }

    /// Lints one settings example under a channel of the plugin.
    static func lint(plugin: String, settings: String) -> [Diagnostic] {
        let indented = settings.split(separator: "\n", omittingEmptySubsequences: false).map { "      \($0)" }.joined(separator: "\n")
        let yaml = "channels:\n  example:\n    plugin: \(plugin)\n    settings:\n\(indented)\n"
        return Linter(channels: TestChannels.registry).lint(files: [("base.yaml", RuleExample.baseOrganisation), ("example.yaml", yaml)])
    }

    @Test("valid settings examples lint clean", arguments: plugins)
    func valid(plugin: String) throws {
        let descriptor = try #require(TestChannels.registry.plugin(plugin)).descriptor
        #expect(!descriptor.validExamples.isEmpty, "\(plugin) needs valid settings examples")
        for example in descriptor.validExamples {
            let errors = Self.lint(plugin: plugin, settings: example).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(plugin): \(example) → \(errors.map(\.description))")
        }
    }

    @Test("invalid settings examples are located invalid_channel_settings errors", arguments: plugins)
    func invalid(plugin: String) throws {
        let descriptor = try #require(TestChannels.registry.plugin(plugin)).descriptor
        #expect(!descriptor.invalidExamples.isEmpty, "\(plugin) needs invalid settings examples")
        for example in descriptor.invalidExamples {
            let own = Self.lint(plugin: plugin, settings: example).filter { $0.rule == "invalid_channel_settings" }
            #expect(!own.isEmpty, "\(plugin): \(example) did not trigger invalid_channel_settings")
            #expect(own.allSatisfy { $0.location?.file == "example.yaml" }, "\(plugin): \(own.map(\.description))")
        }
    }

    @Test("unknown plugins are reported only when the registry knows some")
    func emptyRegistry() {
        let yaml = "channels:\n  example:\n    plugin: pigeon\n"
        let files = [("base.yaml", RuleExample.baseOrganisation), ("example.yaml", yaml)]
        #expect(Linter().lint(files: files).filter { $0.rule == "unknown_plugin" }.isEmpty)
        let reported = Linter(channels: TestChannels.registry).lint(files: files).filter { $0.rule == "unknown_plugin" }
        #expect(reported.map { $0.location?.description } == ["example.yaml:3:13"])
        #expect(reported.first?.hint?.contains("console, email, exec, file, slack, sms, webhook") == true)
    }
}
