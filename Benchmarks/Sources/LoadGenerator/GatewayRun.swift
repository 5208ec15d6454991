import Foundation
import LoadSupport

/// A `zorgnet serve --demo` process on free ports of 127.0.0.1, with the data directory's PKI.
struct GatewayRun {
    let child: ChildProcess
    let target: LoadTarget

    static func start(zorgnet: String, gatewayRoot: String, dataDirectory: String, extraArguments: [String] = []) async throws -> GatewayRun {
        // Started in the checkout, where the gateway finds Profiles/ and Fixtures/.
        _ = FileManager.default.changeCurrentDirectoryPath(gatewayRoot)
        let child = try ChildProcess(
            executable: zorgnet,
            arguments: ["serve", "--demo", "--data-dir", dataDirectory, "--front", "127.0.0.1:0", "--back", "127.0.0.1:0"] + extraArguments)
        let back = try await child.waitForAddress(after: "back  (mutual TLS):", timeout: 600)
        return GatewayRun(child: child, target: LoadTarget(base: "https://\(back.host):\(back.port)/fhir", pki: "\(dataDirectory)/pki"))
    }

    var peakRSSMegabytes: Double? { child.peakRSSKilobytes.map { (Double($0) / 1024 * 10).rounded() / 10 } }

    func stop() { child.stop() }
}

/// The 28 BgZ query paths, read from the gateway's own list (`BgZQueries.all` in
/// Sources/Exchange/BgZQueries.swift) so that there is no second copy to keep equal.
func bgzQueries(gatewayRoot: String) throws -> [String] {
    let source = try String(contentsOfFile: "\(gatewayRoot)/Sources/Exchange/BgZQueries.swift", encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: #"Query\(number: \d+, zib: "[^"]*", path: "([^"]*)"\)"#)
    let paths = pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)).compactMap { match in
        Range(match.range(at: 1), in: source).map { String(source[$0]) }
    }
    guard paths.count == 28 else { throw ValidationFailure("expected 28 BgZ queries in BgZQueries.swift, found \(paths.count)") }
    return paths
}

struct ValidationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
