// swift-tools-version:6.1
import PackageDescription

/// The channel plugin API: EscalationCore (diagnostics, locations, durations, setting values) and EscalationChannel
/// (NotificationChannel and friends), built as ONE dynamic library so that escalate and every plugin loaded with
/// dlopen share a single copy of their types. Escalate's own package and third-party plugins depend on this package.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "ChannelAPI",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "EscalationChannel", type: .dynamic, targets: ["EscalationCore", "EscalationChannel"]),
    ],
    targets: [
        .target(name: "EscalationCore", swiftSettings: strict),
        .target(name: "EscalationChannel", dependencies: ["EscalationCore"], swiftSettings: strict),
    ]
)
