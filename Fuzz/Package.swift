// swift-tools-version: 6.1
import PackageDescription

import Foundation

// libFuzzer targets for Zorgnet Gateway's input surfaces, kept out of the main package so that
// `swift build` there never needs the fuzzer runtime. Each executable defines
// `LLVMFuzzerTestOneInput` and no `main`: libFuzzer supplies `main`, so every target is built with
// `-parse-as-library` and linked with `-sanitize=fuzzer,address` (see run.sh and README.md).
//
// The gateway is a path dependency (the root, `..`), used through its `ZorgnetGateway` library product.
let environment = ProcessInfo.processInfo.environment
let gatewayPath = environment["ZORGNET_GATEWAY_PATH"] ?? ".."
// A path dependency is known by its directory's name (the checkout's, e.g. "main"), not its manifest's.
let gatewayIdentity = URL(fileURLWithPath: gatewayPath, relativeTo: URL(fileURLWithPath: Context.packageDirectory + "/"))
    .standardizedFileURL.lastPathComponent.lowercased()

/// One fuzz target: `Sources/<name>/`, linked against the gateway's modules.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "ZorgnetGateway", package: gatewayIdentity)],
        path: "Sources/\(name)",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "zorgnet-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: gatewayPath)
    ],
    targets: [
        fuzzTarget("json-reader"),
        fuzzTarget("xml-reader"),
        fuzzTarget("search-query"),
        fuzzTarget("oauth-request"),
        fuzzTarget("pzc-import"),
        fuzzTarget("medmij-list"),
    ]
)
