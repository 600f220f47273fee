import ArgumentParser
import EscalationChannel
import EscalationPluginLoader
import Foundation

/// The channel plugins a command can use: the built-in ones, then every `*.so` in `ESCALATE_PLUGIN_DIR`, then each
/// `--plugin PATH`. A plugin that cannot be loaded, or a duplicate id, is a usage error (exit 2).
struct PluginOptions: ParsableArguments {
    @Option(
        name: .customLong("plugin"),
        help: ArgumentHelp(
            "Load a channel plugin library (.so) built against this escalate's ChannelAPI; repeatable. "
                + "Every .so in $ESCALATE_PLUGIN_DIR is loaded too.",
            valueName: "path"))
    var libraries: [String] = []

    /// The environment variable naming a folder of plugin libraries.
    static let folderVariable = "ESCALATE_PLUGIN_DIR"

    /// The registry of every plugin; prints the problem and exits 2 when a plugin cannot be loaded or registered.
    func registry() throws -> ChannelRegistry {
        do {
            var registry = try ChannelRegistry(installedChannels)
            var paths: [String] = []
            if let folder = ProcessInfo.processInfo.environment[Self.folderVariable], !folder.isEmpty {
                paths += try DynamicChannelLoader.libraries(in: folder)
            }
            for path in paths + libraries {
                let plugin = try DynamicChannelLoader.load(path)
                do {
                    try registry.register(plugin)
                } catch {
                    throw DynamicChannelLoader.LoadError("\(error.description) (the second one is \(path))")
                }
            }
            return registry
        } catch let error as DynamicChannelLoader.LoadError {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        } catch let error as ChannelRegistry.RegistryError {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
