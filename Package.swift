// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Forkboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "forkboard", targets: ["forkboard"]),
        .executable(name: "forkboard-bench", targets: ["forkboard-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibgit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .target(name: "Git", dependencies: ["CLibgit2"], swiftSettings: strict),
        .target(name: "ScoreTypes", swiftSettings: strict),
        .target(name: "Challenge", dependencies: ["ScoreTypes", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "Ledger", dependencies: [
            "Challenge",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "Evaluation", dependencies: [
            "Challenge", "ScoreTypes", "Git",
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "Credit", dependencies: ["ScoreTypes", "Git"], swiftSettings: strict),
        .target(name: "Hub", dependencies: [
            "Git", "Challenge", "Ledger", "Evaluation", "Credit",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "Web", dependencies: [
            "Hub", "Ledger", "Challenge", "Evaluation",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "forkboard", dependencies: [
            "Hub", "Web", "Ledger", "Challenge", "Evaluation",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "SyntheticWorkloads", dependencies: ["Credit", "ScoreTypes", "Git", "Evaluation"], swiftSettings: strict),
        .executableTarget(name: "forkboard-bench", dependencies: [
            "Hub", "Evaluation", "Challenge", "Ledger", "Credit", "ScoreTypes", "Git", "SyntheticWorkloads",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
        ], path: "Benchmarks/forkboard-bench", swiftSettings: strict),
        .testTarget(name: "GitTests", dependencies: ["Git"], swiftSettings: strict),
        .testTarget(name: "ScoreTypesTests", dependencies: ["ScoreTypes"], exclude: ["Vectors"], swiftSettings: strict),
        .testTarget(name: "CreditTests", dependencies: ["Credit", "ScoreTypes", "Git", "SyntheticWorkloads"], exclude: ["Cases"], swiftSettings: strict),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Challenge", "ScoreTypes"], swiftSettings: strict),
        .testTarget(name: "HubTests", dependencies: ["Hub", "Credit", "ScoreTypes"], swiftSettings: strict),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Challenge", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(name: "WebTests", dependencies: [
            "Web", "Hub", "Ledger", "Challenge",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["Ledger", "Challenge"], swiftSettings: strict),
    ]
)
