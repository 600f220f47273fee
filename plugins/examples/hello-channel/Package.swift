// swift-tools-version:6.1
import PackageDescription

/// An example third-party channel plugin: a dynamic library escalate loads with `--plugin PATH` or from
/// `ESCALATE_PLUGIN_DIR`. It depends on the ChannelAPI package of the escalate it is loaded into (same checkout,
/// same toolchain); see plugins/README.md.
let package = Package(
    name: "HelloChannel",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HelloChannel", type: .dynamic, targets: ["HelloChannel"]),
    ],
    dependencies: [
        .package(path: "../../../ChannelAPI"),
    ],
    targets: [
        .target(
            name: "HelloChannel",
            dependencies: [.product(name: "EscalationChannel", package: "ChannelAPI")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
    ]
)
