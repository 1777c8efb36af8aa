// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "raftsh",
    products: [
        .executable(name: "raftsh", targets: ["raftsh"]),
        .library(name: "RaftStorage", targets: ["RaftStorage"]),
        .library(name: "RaftCore", targets: ["RaftCore"]),
        .library(name: "RaftCluster", targets: ["RaftCluster"]),
        .library(name: "RaftScript", targets: ["RaftScript"]),
        .library(name: "RaftSimulation", targets: ["RaftSimulation"]),
        .library(name: "RaftNode", targets: ["RaftNode"]),
        .library(name: "RaftChart", targets: ["RaftChart"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .target(name: "RaftStorage"),
        .target(name: "RaftCore", dependencies: ["RaftStorage"]),
        .target(name: "RaftCluster", dependencies: ["RaftCore", "RaftStorage"]),
        .target(name: "RaftScript", dependencies: ["RaftCore", "RaftCluster"]),
        .target(name: "CAffinity"),
        .target(name: "RaftNode", dependencies: ["RaftCore", "RaftCluster", "CAffinity"]),
        .target(
            name: "RaftSimulation",
            dependencies: ["RaftCore", "RaftCluster", .product(name: "DequeModule", package: "swift-collections")]
        ),
        .target(name: "RaftChart", dependencies: ["RaftCore", "RaftCluster", "RaftScript"]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .executableTarget(
            name: "raftsh",
            dependencies: [
                "RaftScript",
                "RaftSimulation",
                "RaftNode",
                "RaftChart",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "raftsh-bench",
            dependencies: ["RaftCore", "RaftCluster", "RaftScript", "RaftSimulation", "RaftNode"]
        ),
        .testTarget(name: "RaftCoreTests", dependencies: ["RaftCore", "RaftStorage"]),
        .testTarget(name: "RaftClusterTests", dependencies: ["RaftCluster", "RaftCore", "RaftStorage"]),
        .testTarget(name: "RaftScriptTests", dependencies: ["RaftScript", "RaftCluster", "RaftCore"]),
        .testTarget(name: "RaftNodeTests", dependencies: ["RaftNode", "CAffinity", "RaftScript", "RaftCluster", "RaftCore"]),
        .testTarget(name: "RaftChartTests", dependencies: ["RaftChart", "RaftScript", "RaftCluster", "RaftCore"], exclude: ["Golden"]),
        .testTarget(name: "RaftSimulationTests", dependencies: ["RaftSimulation", "RaftScript", "RaftCluster", "RaftCore"]),
    ],
    swiftLanguageModes: [.v6]
)
