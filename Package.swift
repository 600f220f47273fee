// swift-tools-version:6.1
import PackageDescription

/// Shared compiler settings: Swift 6 language mode (strict concurrency) everywhere.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// Built-in channel plugins: id → module name. Each lives in plugins/<id>/ (Sources/<Module>, Tests/<Module>Tests),
/// depends only on EscalationChannel (the ChannelAPI package's library) (plus the libraries named in `pluginDependencies`), and is registered in
/// Sources/escalate/InstalledChannels.swift. Adding a plugin is one entry here.
let channelPlugins: [(id: String, module: String)] = [
    (id: "console", module: "ConsoleChannel"),
    (id: "file", module: "FileChannel"),
    (id: "exec", module: "ExecChannel"),
    (id: "webhook", module: "WebhookChannel"),
    (id: "slack", module: "SlackChannel"),
    (id: "sms", module: "SMSChannel"),
    (id: "voice", module: "VoiceChannel"),
    (id: "statuspage", module: "StatuspageChannel"),
    (id: "ticket", module: "TicketChannel"),
    (id: "email", module: "EmailChannel"),
]

/// What every HTTP plugin builds on: AsyncHTTPClient and the NIO types in its API and errors.
let httpPlugin: [Target.Dependency] = [
    .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
]

/// Extra package products a plugin module needs (e.g. AsyncHTTPClient for HTTP plugins).
let pluginDependencies: [String: [Target.Dependency]] = [
    "webhook": httpPlugin + [.product(name: "Crypto", package: "swift-crypto")],
    "slack": httpPlugin + [.product(name: "Crypto", package: "swift-crypto")],
    "sms": httpPlugin + [.product(name: "Crypto", package: "swift-crypto")],
    "voice": httpPlugin + [.product(name: "Crypto", package: "swift-crypto")],
    "statuspage": httpPlugin,
    "ticket": httpPlugin,
    "email": [
        .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ],
]

let package = Package(
    name: "Escalate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "escalate", targets: ["escalate"]),
        .library(name: "EscalationYAML", targets: ["EscalationYAML"]),
        .library(name: "EscalationPolicy", targets: ["EscalationPolicy"]),
        .library(name: "EscalationGraph", targets: ["EscalationGraph"]),
        .library(name: "EscalationCompiler", targets: ["EscalationCompiler"]),
        .library(name: "EscalationEngine", targets: ["EscalationEngine"]),
        .library(name: "EscalationAnalysis", targets: ["EscalationAnalysis"]),
        .library(name: "EscalationSimulator", targets: ["EscalationSimulator"]),
        .library(name: "EscalationStore", targets: ["EscalationStore"]),
        .library(name: "EscalationStorePostgres", targets: ["EscalationStorePostgres"]),
        .library(name: "EscalationExecutor", targets: ["EscalationExecutor"]),
        .library(name: "EscalationServer", targets: ["EscalationServer"]),
        .library(name: "EscalationClient", targets: ["EscalationClient"]),
        .library(name: "EscalationTesting", targets: ["EscalationTesting"]),
        .library(name: "EscalationLint", targets: ["EscalationLint"]),
        .library(name: "EscalationPipeline", targets: ["EscalationPipeline"]),
    ],
    dependencies: [
        .package(path: "ChannelAPI"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The YAML front end: libyaml's C API (CYaml, a target of the Yams package that SwiftPM reaches only through
        // the Yams product) composed into flat documents; the loader and the simulator's readers both read through it.
        .target(name: "EscalationYAML", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "EscalationPolicy", dependencies: ["EscalationCore", "EscalationYAML"], swiftSettings: strict),
        .target(name: "EscalationPluginLoader", dependencies: ["EscalationChannel"], swiftSettings: strict),
        .target(name: "EscalationGraph", dependencies: ["EscalationCore"], swiftSettings: strict),
        .target(name: "EscalationCompiler", dependencies: ["EscalationCore", "EscalationPolicy", "EscalationGraph"], swiftSettings: strict),
        .target(name: "EscalationAnalysis", dependencies: ["EscalationCore", "EscalationGraph"], swiftSettings: strict),
        .target(name: "EscalationEngine", dependencies: ["EscalationCore", "EscalationGraph"], swiftSettings: strict),
        .target(
            name: "EscalationStore",
            dependencies: ["EscalationCore", "EscalationEngine", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // The PostgreSQL store: the only library (with the executable) that depends on postgres-nio.
        .target(
            name: "EscalationStorePostgres",
            dependencies: [
                "EscalationCore", "EscalationEngine", "EscalationStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "EscalationExecutor",
            dependencies: [
                "EscalationCore", "EscalationGraph", "EscalationEngine", "EscalationStore", "EscalationChannel",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "EscalationPipeline",
            dependencies: [
                "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationCompiler", "EscalationLint", "EscalationChannel",
                "EscalationExecutor",
            ],
            swiftSettings: strict),
        .target(
            name: "EscalationServer",
            dependencies: [
                "EscalationCore", "EscalationEngine", "EscalationExecutor", "EscalationStore", "EscalationGraph", "EscalationAnalysis",
                "EscalationSimulator",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict),
        .target(name: "EscalationClient", swiftSettings: strict),
        .target(
            name: "EscalationTesting",
            dependencies: [
                "EscalationCore", "EscalationChannel", "EscalationGraph", "EscalationEngine", "EscalationStore", "EscalationExecutor",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "EscalationSimulator",
            dependencies: ["EscalationCore", "EscalationGraph", "EscalationEngine", "EscalationYAML"],
            swiftSettings: strict),
        .target(
            name: "EscalationLint",
            dependencies: [
                "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationCompiler", "EscalationAnalysis", "EscalationChannel",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "escalate",
            dependencies: [
                "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationLint", "EscalationEngine",
                "EscalationSimulator",
                "EscalationChannel", "EscalationStore", "EscalationExecutor", "EscalationServer", "EscalationClient",
                "EscalationPluginLoader", "EscalationPipeline", "EscalationAnalysis", "EscalationStorePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "escalate-benchmark",
            dependencies: [
                "EscalationCompiler", "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationEngine", "EscalationSimulator", "EscalationStore",
                "EscalationExecutor", "EscalationChannel", "EscalationTesting", "EscalationPipeline",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/EscalateBenchmark", swiftSettings: strict),
        .testTarget(
            name: "EscalationExecutorTests",
            dependencies: [
                "EscalationCompiler", "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationEngine", "EscalationStore", "EscalationExecutor",
                "EscalationChannel", "EscalationTesting", "EscalationSimulator", "EscalationPipeline", "EscalationLint",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationServerTests",
            dependencies: [
                "EscalationCore", "EscalationPolicy", "EscalationEngine", "EscalationExecutor", "EscalationServer", "EscalationStore", "EscalationChannel",
                "EscalationTesting", "EscalationClient", "EscalationPipeline", "EscalationSimulator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationStoreTests", dependencies: ["EscalationCore", "EscalationEngine", "EscalationStore", "EscalationTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationStorePostgresTests",
            dependencies: [
                "EscalationCore", "EscalationEngine", "EscalationStore", "EscalationStorePostgres", "EscalationTesting", "EscalationExecutor",
                "EscalationChannel", "EscalationGraph", "EscalationPipeline", .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
        .testTarget(name: "EscalationCoreTests", dependencies: ["EscalationCore"], swiftSettings: strict),
        .testTarget(
            name: "EscalationPluginLoaderTests", dependencies: ["EscalationCore", "EscalationChannel", "EscalationPluginLoader"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationPolicyTests", dependencies: ["EscalationCore", "EscalationPolicy", "EscalationYAML", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationEngineTests",
            dependencies: ["EscalationCompiler", "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationEngine", "EscalationTesting"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationLintTests",
            dependencies: [
                "EscalationCore", "EscalationPolicy", "EscalationLint", "EscalationChannel", .target(name: "ConsoleChannel"),
                .target(name: "FileChannel"), .target(name: "ExecChannel"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationGraphTests",
            dependencies: ["EscalationCompiler", "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationAnalysis", "EscalationSimulator"],
            exclude: ["Golden"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationSimulatorTests",
            dependencies: [
                "EscalationCompiler", "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationEngine", "EscalationSimulator", "EscalationYAML",
            ],
            exclude: ["Golden"], swiftSettings: strict),
    ]
)

for plugin in channelPlugins {
    package.targets += [
        .target(
            name: plugin.module, dependencies: ["EscalationChannel"] + (pluginDependencies[plugin.id] ?? []),
            path: "plugins/\(plugin.id)/Sources/\(plugin.module)", swiftSettings: strict),
        .testTarget(
            name: "\(plugin.module)Tests", dependencies: [.target(name: plugin.module), "EscalationChannel", "EscalationCore"],
            path: "plugins/\(plugin.id)/Tests/\(plugin.module)Tests", swiftSettings: strict),
    ]
    if let index = package.targets.firstIndex(where: { $0.name == "escalate" }) {
        package.targets[index].dependencies.append(.target(name: plugin.module))
    }
}

/// EscalationCore and EscalationChannel live in their own package, ChannelAPI/, built as ONE dynamic library
/// (libEscalationChannel.so) that escalate and every plugin loaded with dlopen share, so both see one copy of the
/// plugin API's types (see plugins/README.md). A dependency written "EscalationCore" or "EscalationChannel" above
/// means that library's product.
let channelAPI: Target.Dependency = .product(name: "EscalationChannel", package: "ChannelAPI")
for index in package.targets.indices {
    var added = false
    package.targets[index].dependencies = package.targets[index].dependencies.compactMap { dependency in
        guard case .byNameItem(let name, _) = dependency, name == "EscalationCore" || name == "EscalationChannel" else {
            return dependency
        }
        defer { added = true }
        return added ? nil : channelAPI
    }
}
