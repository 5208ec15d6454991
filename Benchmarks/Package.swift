// swift-tools-version: 6.1
import PackageDescription

import Foundation

// Benchmarks for Zorgnet Gateway, kept out of the main package so that `swift test` there never builds
// the benchmark dependencies.
//
// - `zorgnet-load`: the load generator. It drives a release `zorgnet` binary over real mutual-TLS sockets,
//   so it needs none of the gateway's modules; it reads the 28 BgZ queries from the gateway's source.
// - `zorgnet-trivial`: a trivial handler on the same Hummingbird/TLS stack, the ceiling for reads.
// - `zorgnet-population`: the deterministic synthetic population (PZC exports, imported by `zorgnet import`).
// - `zorgnet-overhead`: the gateway itself (through the root's `ZorgnetGateway` library product) with the
//   read path's audit append and/or consent lookup replaced, for scenario (f).
// - `GatewayBenchmarks`: micro-benchmarks (ordo-one/benchmark) that import the gateway's modules. Declared
//   only when ZORGNET_MICRO=1, so that the load tools build without the benchmark plugin (see
//   BENCHMARKS.md, "Micro-benchmarks").
let environment = ProcessInfo.processInfo.environment
let gatewayPath = environment["ZORGNET_GATEWAY_PATH"] ?? ".."
// A path dependency is known by its directory's name (the checkout's, e.g. "main"), not its manifest's.
let gatewayIdentity = URL(fileURLWithPath: gatewayPath, relativeTo: URL(fileURLWithPath: Context.packageDirectory + "/"))
    .standardizedFileURL.lastPathComponent.lowercased()
let withMicroBenchmarks = environment["ZORGNET_MICRO"] == "1"

var targets: [Target] = [
    .executableTarget(
        name: "zorgnet-load",
        dependencies: [
            "LoadSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ],
        path: "Sources/LoadGenerator"
    ),
    .executableTarget(
        name: "zorgnet-trivial",
        dependencies: [
            "LoadSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ],
        path: "Sources/TrivialServer"
    ),
    .executableTarget(
        name: "zorgnet-overhead",
        dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZorgnetGateway", package: gatewayIdentity),
        ],
        path: "Sources/OverheadServer"
    ),
    .executableTarget(
        name: "zorgnet-population",
        dependencies: [
            "LoadSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "Sources/PopulationGenerator"
    ),
    // What the executables share: the gateway's TLS settings, process helpers.
    .target(
        name: "LoadSupport",
        dependencies: [.product(name: "NIOSSL", package: "swift-nio-ssl")],
        path: "Sources/LoadSupport"
    ),
]

if withMicroBenchmarks {
    targets.append(
        .executableTarget(
            name: "GatewayBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ZorgnetGateway", package: gatewayIdentity),
            ],
            path: "Benchmarks/GatewayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ))
}

let package = Package(
    name: "zorgnet-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: gatewayPath),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: targets
)
