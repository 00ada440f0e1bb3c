// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "nilecare-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nilecare", targets: ["nilecare"]),
        .library(name: "GraphQLEngine", targets: ["GraphQLEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The GraphQL engine: standard library and Foundation only.
        .target(name: "GraphQLEngine", swiftSettings: strictSettings),
        .executableTarget(
            name: "nilecare",
            dependencies: [
                "GraphQLEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "GraphQLEngineTests", dependencies: ["GraphQLEngine"], swiftSettings: strictSettings),
    ]
)
