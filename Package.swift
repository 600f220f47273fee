// swift-tools-version:6.1
import PackageDescription

/// Shared compiler settings: Swift 6 language mode (strict concurrency) everywhere.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "Escalate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "escalate", targets: ["escalate"]),
        .library(name: "EscalationCore", targets: ["EscalationCore"]),
        .library(name: "EscalationPolicy", targets: ["EscalationPolicy"]),
        .library(name: "EscalationGraph", targets: ["EscalationGraph"]),
        .library(name: "EscalationEngine", targets: ["EscalationEngine"]),
        .library(name: "EscalationSimulator", targets: ["EscalationSimulator"]),
        .library(name: "EscalationLint", targets: ["EscalationLint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "EscalationCore", swiftSettings: strict),
        .target(
            name: "EscalationPolicy",
            dependencies: ["EscalationCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(name: "EscalationGraph", dependencies: ["EscalationCore", "EscalationPolicy"], swiftSettings: strict),
        .target(name: "EscalationEngine", dependencies: ["EscalationCore", "EscalationGraph"], swiftSettings: strict),
        .target(
            name: "EscalationSimulator",
            dependencies: ["EscalationCore", "EscalationGraph", "EscalationEngine", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(
            name: "EscalationLint", dependencies: ["EscalationCore", "EscalationPolicy", "EscalationGraph"],
            swiftSettings: strict),
        .executableTarget(
            name: "escalate",
            dependencies: [
                "EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationLint", "EscalationEngine",
                "EscalationSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "escalate-benchmark",
            dependencies: ["EscalationCore", "EscalationPolicy", "EscalationGraph", "EscalationEngine", "EscalationSimulator"],
            path: "Benchmarks/EscalateBenchmark", swiftSettings: strict),
        .testTarget(name: "EscalationCoreTests", dependencies: ["EscalationCore"], swiftSettings: strict),
        .testTarget(
            name: "EscalationPolicyTests", dependencies: ["EscalationCore", "EscalationPolicy"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationLintTests", dependencies: ["EscalationCore", "EscalationPolicy", "EscalationLint"],
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "EscalationGraphTests", dependencies: ["EscalationCore", "EscalationPolicy", "EscalationGraph"],
            exclude: ["Golden"],
            swiftSettings: strict),
    ]
)
