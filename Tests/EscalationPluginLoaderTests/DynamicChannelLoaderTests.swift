import EscalationChannel
import EscalationCore
import EscalationPluginLoader
import Foundation
import Testing

/// Builds plugins/examples/hello-channel as a separate package, loads it with dlopen and delivers through it;
/// and checks that libraries without the symbols or with another ABI version are refused with clear errors.
@Suite("Dynamic channel plugins", .serialized)
struct DynamicChannelLoaderTests {
    /// The repository root (this file is Tests/EscalationPluginLoaderTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs a program and returns its exit status and combined output. It waits on a thread of its own, so the
    /// concurrency pool (as wide as the machine has cores) stays free for other tests meanwhile.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = pipe.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread {
                let output = reader.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self)))
            }.start()
        }
    }

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compiles a C file into a shared library with the toolchain's clang.
    static func sharedLibrary(_ source: String, name: String) async throws -> String {
        let folder = try folder()
        let c = folder.appendingPathComponent("\(name).c")
        try Data(source.utf8).write(to: c)
        let library = folder.appendingPathComponent("\(name).so").path
        let result = try await Self.run(["clang", "-shared", "-fPIC", "-o", library, c.path])
        try #require(result.status == 0, "clang failed: \(result.output)")
        return library
    }

    @Test("the example plugin builds as its own package, loads, registers and delivers", .timeLimit(.minutes(20)))
    func helloChannel() async throws {
        let package = Self.root.appendingPathComponent("plugins/examples/hello-channel")
        // One build folder per checkout (reused by later runs, so only the first one takes a minute or two).
        let checkout = Self.root.path.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        // Per plugin API version too: a folder built for another version would keep its old, refused library.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("escalate-hello-channel-abi\(ChannelPluginABI.version)\(String(checkout))")
        var build = try await Self.run(["swift", "build", "--package-path", package.path, "--scratch-path", scratch.path])
        if build.status != 0 {
            // A build folder left by an older plugin API (its sources changed since) can fail to build: start afresh once.
            try? FileManager.default.removeItem(at: scratch)
            build = try await Self.run(["swift", "build", "--package-path", package.path, "--scratch-path", scratch.path])
        }
        try #require(build.status == 0, "swift build failed:\n\(build.output)")
        let library = scratch.appendingPathComponent("debug/libHelloChannel.so").path

        let channel = try DynamicChannelLoader.load(library)
        #expect(channel.descriptor.id == "hello")
        #expect(try DynamicChannelLoader.load(library).descriptor.id == "hello")  // loading twice is harmless
        var registry = try ChannelRegistry([])
        try registry.register(channel)
        let plugin = try #require(registry.plugin("hello"))

        let here = SourceLocation(file: "channels.yaml", line: 1, column: 1)
        let bad = ChannelSettings(channel: "hi", value: .map([(Located("greeting", at: here), .scalar("", here))], here), location: here)
        #expect(plugin.validate(bad).map(\.rule) == ["invalid_channel_settings"])
        let settings = ChannelSettings(
            channel: "hi", value: .map([(Located("greeting", at: here), .scalar("${env:GREETING}", here))], here), location: here)
        #expect(plugin.validate(settings).isEmpty)
        let instance = try plugin.init(settings: settings, environment: ChannelEnvironment(["GREETING": "Howdy"]))
        let message = ChannelMessage(idempotencyKey: "k", incidentID: "inc-1", subject: "Pool closed", body: "Chlorine alarm")
        let result = await instance.deliver(message, to: "alice@example.org")
        #expect(result == .delivered(DeliveryReceipt(externalID: "Howdy, alice@example.org: Pool closed")))

        let folder = try Self.folder()
        try FileManager.default.copyItem(atPath: library, toPath: folder.appendingPathComponent("libHelloChannel.so").path)
        try Data().write(to: folder.appendingPathComponent("notes.txt"))
        #expect(try DynamicChannelLoader.libraries(in: folder.path) == [folder.appendingPathComponent("libHelloChannel.so").path])
    }

    @Test("a library built for another plugin API version is refused before anything else runs")
    func versionMismatch() async throws {
        let library = try await Self.sharedLibrary(
            """
            long escalate_plugin_abi_version(void) { return 999; }
            void *escalate_make_channel(void) { __builtin_trap(); }
            """, name: "future")
        #expect {
            try DynamicChannelLoader.load(library)
        } throws: { error in
            "\(error)".contains("was built for plugin API version 999, but this escalate has version \(ChannelPluginABI.version)")
        }
    }

    @Test("a library without the plugin symbols, or a file that is no library, is refused with a clear error")
    func notAPlugin() async throws {
        let library = try await Self.sharedLibrary("int unrelated(void) { return 1; }", name: "unrelated")
        #expect {
            try DynamicChannelLoader.load(library)
        } throws: { error in
            "\(error)".contains("is not an Escalate channel plugin: it exports no escalate_plugin_abi_version function")
        }
        let text = try Self.folder().appendingPathComponent("text.so")
        try Data("not a library".utf8).write(to: text)
        #expect {
            try DynamicChannelLoader.load(text.path)
        } throws: { error in
            "\(error)".hasPrefix("cannot load the plugin \(text.path): ")
        }
        #expect(throws: DynamicChannelLoader.LoadError.self) { try DynamicChannelLoader.libraries(in: "/nonexistent/plugins") }
    }
}
