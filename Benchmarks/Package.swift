// swift-tools-version:6.1
import PackageDescription

// Engine benchmarks: our GraphQLEngine side by side with GraphQLSwift 4.3.0, on the shared
// NileCare workload. A package of its own, so the product never depends on benchmark code.
// `Sources/GraphQLEngine` is a symlink to the product's engine sources.
let package = Package(
    name: "NileCareBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/GraphQLSwift/GraphQL", exact: "4.3.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.0.0"),
    ],
    targets: [
        .target(name: "GraphQLEngine"),
        // glibc's mallopt, as `nilecare` sets it at start (symlink to the product's module).
        .systemLibrary(name: "CMalloc"),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "GraphQLEngine", "CMalloc", .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            resources: []
        ),
    ]
)
