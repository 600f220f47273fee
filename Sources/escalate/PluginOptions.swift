import ArgumentParser
import EscalationChannel
import Foundation

/// The channel plugins a command can use: the built-in ones plus any loaded at start. A duplicate id is a usage error.
struct PluginOptions: ParsableArguments {
    @Option(
        name: .customLong("plugin"),
        help: ArgumentHelp("Load a channel plugin library (.so) built against this escalate; repeatable.", valueName: "path"))
    var libraries: [String] = []

    /// The registry of every plugin; prints the problem and exits 2 when a plugin cannot be registered.
    func registry() throws -> ChannelRegistry {
        do {
            return try ChannelRegistry(installedChannels)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
