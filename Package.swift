// swift-tools-version: 6.1
import PackageDescription

// Zorgnet Gateway: a personal health record gateway for Dutch care.
// Modules depend downwards only: FHIR knows nothing of storage or HTTP, Store knows nothing of HTTP,
// Gateway wires everything together, and `zorgnet` is the command-line face of it all.
let package = Package(
    name: "zorgnet-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zorgnet", targets: ["zorgnet"]),
        // For the benchmark package (Benchmarks/), which measures the modules directly.
        .library(
            name: "ZorgnetGateway",
            targets: ["FHIR", "Zib", "Store", "Consent", "Audit", "Auth", "Exchange", "PZCImport", "Gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // libxml2 from the system (Debian: libxml2-dev). Used only by the FHIR XML codec.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "FHIR",
            dependencies: ["CLibXML2"]
        ),
        .target(
            name: "Zib",
            dependencies: [
                "FHIR",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Store",
            dependencies: [
                "FHIR",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Consent records and the decision point every access passes (deny by default).
        .target(
            name: "Consent",
            dependencies: ["FHIR", "Store", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Exchange with other MedMij nodes: the MedMij lists (OCL, ZAL, whitelist, GNL), provider
        // endpoints and the outbound mutual-TLS client that collects from them.
        .target(
            name: "Exchange",
            dependencies: [
                "CLibXML2", "FHIR", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Imports PZC exports: the zib mapping (Zib) feeding the store (Store).
        .target(
            name: "PZCImport",
            dependencies: ["FHIR", "Zib", "Store"]
        ),
        .target(
            name: "Audit",
            dependencies: [
                "FHIR",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Auth",
            dependencies: [
                "Store",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "FHIR", "Zib", "PZCImport", "Store", "Audit", "Auth", "Exchange", "Consent",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "zorgnet",
            dependencies: [
                "Gateway", "Auth", "Audit", "Store", "Zib", "PZCImport", "Exchange",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FHIRTests", dependencies: ["FHIR"]),
        .testTarget(name: "ZibTests", dependencies: ["Zib"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "PZCImportTests", dependencies: ["PZCImport"]),
        .testTarget(name: "ConsentTests", dependencies: ["Consent", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "ExchangeTests",
            dependencies: [
                "Exchange", "Store", "Auth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "AuditTests", dependencies: ["Audit"]),
        .testTarget(name: "AuthTests", dependencies: ["Auth"]),
        // Runs the built `zorgnet` binary as a user would; the dependency makes sure it is built first.
        // The crash-safety test also reads the SQLite files the killed processes leave (GRDB) and hashes
        // the tokens they print (Crypto).
        .testTarget(
            name: "CLITests",
            dependencies: [
                "zorgnet",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "PZCImport", "Zib", "Consent",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
