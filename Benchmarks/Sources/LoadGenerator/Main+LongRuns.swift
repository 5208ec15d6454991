import Foundation
import LoadSupport

extension LoadGenerator {
    func soak(gateway: GatewayRun, paths: [(path: String, token: String?)], report: inout LoadReport) async throws {
        let measured = report.scenarios.first { $0.scenario.hasPrefix("b ") && $0.connections == 16 }?.summary.throughputPerSecond
        guard let rate = soakRate ?? measured.map({ $0 * soakFraction }) else {
            throw ValidationFailure("soak needs --soak-rate, or the read scenario in the same run to take \(soakFraction) of its maximum")
        }
        log("soak: \(soakConnections) connections at \(Int(rate)) requests/s for \(Int(soakSeconds)) s")
        let (recorder, samples) = try await LongRuns.soak(
            gateway.target, pid: gateway.child.pid, paths: paths, connections: soakConnections, rate: rate, seconds: soakSeconds,
            sampleEvery: sampleEvery)
        var result = ScenarioResult(
            scenario: "soak: read by id at a steady rate", connections: soakConnections,
            detail: "\(Int(rate)) requests/s in total for \(Int(soakSeconds)) s"
                + (soakRate == nil ? " (\(Int(soakFraction * 100))% of the 16-connection maximum measured above)" : ""),
            summary: recorder.summary(seconds: soakSeconds), serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage())
        result.samples = samples
        report.scenarios.append(result)
        if let first = samples.first, let last = samples.last {
            report.notes.append(
                "soak: RSS \(first.residentMegabytes) → \(last.residentMegabytes) MB (max \(samples.map(\.residentMegabytes).max() ?? 0)), "
                    + "open descriptors \(first.openFileDescriptors) → \(last.openFileDescriptors) (max \(samples.map(\.openFileDescriptors).max() ?? 0)), "
                    + "\(samples.count) samples every \(sampleEvery) s")
        }
    }

    func overload(zorgnet: String, root: String, data: String, paths: [(path: String, token: String?)], report: inout LoadReport) async throws {
        let configuration = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-overload-\(getpid()).json").path
        try Data(#"{"maxConcurrentRequests": \#(overloadCapacity)}"#.utf8).write(to: URL(fileURLWithPath: configuration))
        defer { try? FileManager.default.removeItem(atPath: configuration) }
        let gateway = try await GatewayRun.start(zorgnet: zorgnet, gatewayRoot: root, dataDirectory: data, extraArguments: ["--config", configuration])
        defer { gateway.stop() }
        log("overload: \(overloadConnections) connections against a capacity of \(overloadCapacity) for \(Int(overloadSeconds)) s")
        let (served, shed) = try await LongRuns.overload(gateway.target, paths: paths, connections: overloadConnections, seconds: overloadSeconds)
        var result = ScenarioResult(
            scenario: "overload: read by id beyond capacity (served)", connections: overloadConnections,
            detail: "maxConcurrentRequests \(overloadCapacity); 503s with Retry-After are counted apart under `shed`",
            summary: served.summary(seconds: overloadSeconds), serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage())
        result.shed = shed.summary(seconds: overloadSeconds, unitName: "shed")
        report.scenarios.append(result)
        let shedSummary = shed.summary(seconds: overloadSeconds)
        report.notes.append(
            "overload: \(shedSummary.count) requests shed with 503 + Retry-After (p50 \(shedSummary.p50Milliseconds) ms, "
                + "p99 \(shedSummary.p99Milliseconds) ms, max \(shedSummary.maxMilliseconds) ms); \(served.summary(seconds: 1).count) served; "
                + "\(served.errors) errors (timeouts, dropped connections, other statuses)")

        // Recovery: right after the burst, one client must be served at once.
        log("overload: recovery")
        let (recovered, seconds) = try await Scenarios.reads(
            gateway.target, party: "pgo-demo", paths: paths, connections: 1, warmUp: 0, seconds: 5)
        report.scenarios.append(ScenarioResult(
            scenario: "overload: recovery, one client right after", connections: 1, detail: "5 s, no warm-up",
            summary: recovered.summary(seconds: seconds), serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage()))
    }
}
