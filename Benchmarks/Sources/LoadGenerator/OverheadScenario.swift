import Foundation
import LoadSupport

/// Scenario (f): read by id against the gateway with audit and the consent lookup each on and off, in
/// the same run. Each variant is a fresh `zorgnet-overhead` process on the same data directory; the
/// variants are taken in turn, `rounds` times, so that drift of the machine over the run (page cache,
/// WAL size, other load) spreads evenly over all four instead of favouring the first.
struct OverheadScenario {
    struct Variant: Sendable {
        var audit: Bool
        var consent: Bool

        var name: String { "audit \(audit ? "on" : "off"), consent \(consent ? "on" : "off")" }
        /// What the variant's throughput loss against both-off is the cost of.
        var costName: String {
            switch (audit, consent) {
            case (true, true): "audit and consent together"
            case (true, false): "audit alone"
            case (false, true): "consent lookup alone"
            case (false, false): "nothing"
            }
        }
        var arguments: [String] { ["--audit", audit ? "on" : "off", "--consent", consent ? "on" : "off"] }

        static let all = [Variant(audit: true, consent: true), Variant(audit: false, consent: true),
                          Variant(audit: true, consent: false), Variant(audit: false, consent: false)]
    }

    let binary: String
    let gatewayRoot: String
    let dataDirectory: String
    let rounds: Int
    let connections: [Int]
    let warmUp: Double
    let seconds: Double

    func run(paths: [(path: String, token: String?)], report: inout LoadReport) async throws {
        var throughput: [String: [Double]] = [:]
        for round in 1...rounds {
            for variant in Variant.all {
                _ = FileManager.default.changeCurrentDirectoryPath(gatewayRoot)
                let child = try ChildProcess(
                    executable: binary,
                    arguments: ["--data-dir", dataDirectory] + variant.arguments)
                defer { child.stop() }
                let back = try await child.waitForAddress(after: "back  (mutual TLS):", timeout: 120)
                let target = LoadTarget(base: "https://\(back.host):\(back.port)/fhir", pki: "\(dataDirectory)/pki")
                for connections in connections {
                    log("(f) round \(round), \(variant.name), \(connections) connections")
                    let (recorder, elapsed) = try await Scenarios.reads(
                        target, party: "pgo-demo", paths: paths, connections: connections, warmUp: warmUp, seconds: seconds)
                    let summary = recorder.summary(seconds: elapsed)
                    throughput["\(variant.name)/\(connections)", default: []].append(summary.throughputPerSecond)
                    report.scenarios.append(ScenarioResult(
                        scenario: "f read by id, \(variant.name)", connections: connections,
                        detail: "round \(round) of \(rounds), \(seconds) s after \(warmUp) s warm-up, zorgnet-overhead \(variant.arguments.joined(separator: " "))",
                        summary: summary, serverPeakRSSMegabytes: child.peakRSSKilobytes.map { Double($0) / 1024 },
                        loadAverage: loadAverage()))
                }
            }
        }
        // Costs as the fraction of the both-off throughput that each variant loses, over all rounds.
        for connections in connections {
            func mean(_ variant: Variant) -> Double? {
                guard let values = throughput["\(variant.name)/\(connections)"], !values.isEmpty else { return nil }
                return values.reduce(0, +) / Double(values.count)
            }
            guard let bare = mean(Variant(audit: false, consent: false)), bare > 0 else { continue }
            for variant in Variant.all where variant.audit || variant.consent {
                if let value = mean(variant) {
                    report.ratios["f\(connections) cost of \(variant.costName) (1 − throughput ÷ both off)"] = 1 - value / bare
                }
            }
        }
    }
}
