import EscalationChannel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads third-party channel plugins: Swift dynamic libraries built against the same ChannelAPI package and
/// toolchain, exporting `escalate_plugin_abi_version` and `escalate_make_channel` (see plugins/README.md).
/// Libraries are never unloaded.
public enum DynamicChannelLoader {
    /// Why a plugin library could not be loaded.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        /// What went wrong, naming the library.
        public var description: String
        /// Creates an error.
        public init(_ description: String) { self.description = description }
    }

    /// The file name suffix of plugin libraries in a plugin folder.
    public static let librarySuffix = ".so"

    /// Loads one plugin library and returns its channel type, after checking its ABI version.
    public static func load(_ path: String) throws(LoadError) -> any NotificationChannel.Type {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw LoadError("cannot load the plugin \(path): \(lastError())")
        }
        guard let versionSymbol = dlsym(handle, ChannelPluginABI.versionSymbol) else {
            throw LoadError(
                "\(path) is not an Escalate channel plugin: it exports no \(ChannelPluginABI.versionSymbol) function")
        }
        let version = unsafeBitCast(versionSymbol, to: (@convention(c) () -> Int).self)()
        guard version == ChannelPluginABI.version else {
            throw LoadError(
                "the plugin \(path) was built for plugin API version \(version), but this escalate has version "
                    + "\(ChannelPluginABI.version); rebuild the plugin against this escalate's ChannelAPI")
        }
        guard let factorySymbol = dlsym(handle, ChannelPluginABI.factorySymbol) else {
            throw LoadError("the plugin \(path) exports no \(ChannelPluginABI.factorySymbol) function")
        }
        let pointer = unsafeBitCast(factorySymbol, to: (@convention(c) () -> UnsafeMutableRawPointer).self)()
        guard let box = Unmanaged<AnyObject>.fromOpaque(pointer).takeRetainedValue() as? ChannelPluginBox else {
            throw LoadError(
                "the plugin \(path) returned something that is not a ChannelPluginBox; it must link the same "
                    + "libEscalationChannel.so as escalate (build it against ChannelAPI with the same toolchain)")
        }
        return box.channel
    }

    /// The plugin libraries (`*.so`) in a folder, sorted by name.
    public static func libraries(in folder: String) throws(LoadError) -> [String] {
        guard let directory = opendir(folder) else {
            throw LoadError("cannot read the plugin folder \(folder): \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(librarySuffix), !name.hasPrefix(".") { names.append(name) }
        }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        return names.sorted().map { base + $0 }
    }

    /// The text of the last dynamic-linker error.
    private static func lastError() -> String {
        guard let message = dlerror() else { return "unknown error" }
        return String(cString: message)
    }
}
