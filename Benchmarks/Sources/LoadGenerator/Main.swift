import ArgumentParser
import Foundation
import LoadSupport
import NIOCore

@main
struct LoadGenerator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zorgnet-load",
        abstract: "Drive a release zorgnet gateway over mutual TLS and report latencies, throughput and peak RSS.",
        discussion: """
            Scenarios: bgz (a: the 28 BgZ queries per patient, one connection per PGO), read (b: read by id, \
            1 and 16 connections), trivial (d: the same reads against a fixed-body handler on the same stack), \
            push (c: 100-resource transaction Bundles, 1 and 8 connections) with raw (e: the same rows straight \
            into SQLite), rss (a fresh gateway under --rss-connections connections collecting BgZs), overhead             (f: read by id with audit and the consent lookup each on and off, zorgnet-overhead), soak (minutes of \
            reads at a steady rate below the maximum, sampling RSS and descriptors), overload (more clients than a \
            gateway with --overload-capacity takes at once: 503s with Retry-After, then recovery).
            """)

    @Option(help: "Gateway data directory (created with the demo setup when missing).")
    var dataDir: String

    @Option(help: "The gateway checkout: where zorgnet runs, and where BgZQueries.swift and Fixtures/push are read.")
    var gatewayRoot = ".."

    @Option(help: "Release zorgnet binary (default GATEWAY-ROOT/.build-release/release/zorgnet).")
    var zorgnet: String?

    @Option(help: "zorgnet-trivial binary (default: next to this one).")
    var trivial: String?

    @Option(help: "zorgnet-overhead binary (default: next to this one).")
    var overhead: String?

    @Option(help: "Comma-separated scenarios: bgz, read, trivial, push, rss, overhead, soak, overload.")
    var scenarios = "bgz,read,trivial,push"

    @Option(help: "Patient ids, comma separated (default: DATA-DIR/benchmark-patients.txt, else the demo patients).")
    var patients: String?

    @Flag(help: """
        Take the patients the load uses evenly spaced over the whole list instead of its first ones: on a \
        population larger than memory, the first patients were written first and their pages are the \
        coldest, the last ones the warmest.
        """)
    var spread = false

    @Option(help: "How many BgZ collections (a) to time; patients are taken in turn.")
    var bgzSets = 50

    @Option(help: "Seconds each read configuration is measured, after --warm-up seconds.")
    var readSeconds = 10.0

    @Option(help: "Seconds of unrecorded load before each read measurement.")
    var warmUp = 2.0

    @Option(help: "Bundles pushed per push configuration.")
    var pushBundles = 100

    @Option(help: "Resources per pushed Bundle.")
    var bundleSize = 100

    @Option(help: "Connections in the rss scenario.")
    var rssConnections = 64

    @Option(help: "Rounds of the four overhead variants (f), taken in turn.")
    var overheadRounds = 2

    @Option(help: "Soak: seconds of steady load.")
    var soakSeconds = 600.0

    @Option(help: "Soak: requests/s in total (default: --soak-fraction of the 16-connection read throughput measured in this run).")
    var soakRate: Double?

    @Option(help: "Soak: the fraction of the measured maximum to run at, when --soak-rate is not given.")
    var soakFraction = 0.8

    @Option(help: "Soak: connections.")
    var soakConnections = 16

    @Option(help: "Soak: seconds between samples of the gateway's RSS and open descriptors.")
    var sampleEvery = 10.0

    @Option(help: "Overload: requests the gateway takes at once (its maxConcurrentRequests for this scenario).")
    var overloadCapacity = 8

    @Option(help: "Overload: connections, each sending as fast as it is answered.")
    var overloadConnections = 64

    @Option(help: "Overload: seconds.")
    var overloadSeconds = 20.0

    @Option(help: "Name of this run in the report.")
    var label = "run"

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    @Option(help: "Write the report as a markdown table to this file.")
    var markdown: String?

    func run() async throws {
        // Paths are made absolute first: the gateway is started in its checkout, which changes the directory.
        let jsonPath = json.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let markdownPath = markdown.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let root = URL(fileURLWithPath: gatewayRoot).standardizedFileURL.path
        let data = URL(fileURLWithPath: dataDir).standardizedFileURL.path
        let zorgnetBinary = zorgnet ?? "\(root)/.build-release/release/zorgnet"
        let trivialBinary = trivial ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zorgnet-trivial").path
        let overheadBinary = overhead ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zorgnet-overhead").path
        let wanted = Set(scenarios.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        let patientIDs = try patientList(data: data)
        let queries = try bgzQueries(gatewayRoot: root)

        var report = LoadReport(
            label: label, started: ISO8601DateFormatter().string(from: Date()), dataDirectory: data,
            patientsInDataDirectory: patientIDs.count, machine: Self.machine(), loadAverageAtStart: loadAverage())
        log("starting the gateway on \(data)")
        var gateway = try await GatewayRun.start(zorgnet: zorgnetBinary, gatewayRoot: root, dataDirectory: data)
        // One token per patient the load uses (tokens live 60 minutes at most).
        let tokenCount = min(patientIDs.count, max(bgzSets, 16, wanted.contains("rss") ? rssConnections : 0))
        log("issuing \(tokenCount) tokens")
        if spread { report.notes.append("the \(tokenCount) patients used are spread evenly over the \(patientIDs.count) of the list (--spread)") }
        let used = spread ? (0..<tokenCount).map { patientIDs[$0 * patientIDs.count / tokenCount] } : Array(patientIDs.prefix(tokenCount))
        let tokens = try used.map { patient in
            PatientToken(patient: patient, token: try runTool(zorgnetBinary, [
                "token", "issue", "--data-dir", data, "--client", "pgo-demo", "--patient", patient, "--minutes", "60"]))
        }

        if wanted.contains("bgz") {
            log("(a) BgZ collection, \(bgzSets) sets")
            let sets = (0..<bgzSets).map { tokens[$0 % tokens.count] }
            let (set, perQuery, byQuery, seconds) = try await Scenarios.bgzCollection(gateway.target, queries: queries, patients: sets)
            report.scenarios.append(ScenarioResult(
                scenario: "a BgZ collection (28 queries, whole set)", connections: 1,
                detail: "\(bgzSets) sets over \(min(bgzSets, tokens.count)) patients, a new keep-alive connection per set",
                summary: set.summary(seconds: seconds, unitName: "sets"), perRequest: perQuery.summary(seconds: seconds),
                byQuery: byQuery.mapValues { $0.summary(seconds: seconds) },
                serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage()))
        }

        let readPaths = tokens.map { (path: "Patient/\($0.patient)", token: Optional($0.token)) }
        var readBodyBytes = 0
        if wanted.contains("read") {
            for connections in [1, 16] {
                log("(b) read by id, \(connections) connections")
                let (recorder, seconds) = try await Scenarios.reads(
                    gateway.target, party: "pgo-demo", paths: readPaths, connections: connections, warmUp: warmUp, seconds: readSeconds)
                let summary = recorder.summary(seconds: seconds)
                readBodyBytes = summary.meanBodyBytes
                report.scenarios.append(ScenarioResult(
                    scenario: "b read by id (GET Patient/id)", connections: connections, detail: "\(readSeconds) s after \(warmUp) s warm-up",
                    summary: summary, serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage()))
            }
        }

        if wanted.contains("trivial"), readBodyBytes > 0 {
            let child = try ChildProcess(executable: trivialBinary, arguments: ["--pki", "\(data)/pki", "--body-size", String(readBodyBytes)])
            let address = try await child.waitForAddress(after: "back  (mutual TLS):")
            let target = LoadTarget(base: "https://\(address.host):\(address.port)/fhir", pki: "\(data)/pki")
            for connections in [1, 16] {
                log("(d) trivial handler, \(connections) connections")
                let (recorder, seconds) = try await Scenarios.reads(
                    target, party: "pgo-demo", paths: readPaths, connections: connections, warmUp: warmUp, seconds: readSeconds)
                report.scenarios.append(ScenarioResult(
                    scenario: "d trivial handler, same TLS/HTTP stack", connections: connections,
                    detail: "fixed \(readBodyBytes)-byte body, \(readSeconds) s after \(warmUp) s warm-up",
                    summary: recorder.summary(seconds: seconds),
                    serverPeakRSSMegabytes: child.peakRSSKilobytes.map { Double($0) / 1024 }, loadAverage: loadAverage()))
            }
            child.stop()
        }

        if wanted.contains("push") {
            try await pushScenarios(gateway: gateway, root: root, data: data, report: &report)
        }

        if wanted.contains("rss") {
            // A fresh process, so its VmHWM is this scenario's alone.
            gateway.stop()
            gateway = try await GatewayRun.start(zorgnet: zorgnetBinary, gatewayRoot: root, dataDirectory: data)
            log("rss: \(rssConnections) connections collecting BgZs")
            let paths = (0..<rssConnections).map { index in
                (path: queries[index % queries.count], token: Optional(tokens[index % tokens.count].token))
            }
            let (recorder, seconds) = try await Scenarios.reads(
                gateway.target, party: "pgo-demo", paths: paths, connections: rssConnections, warmUp: warmUp, seconds: readSeconds)
            report.scenarios.append(ScenarioResult(
                scenario: "rss: BgZ queries on \(rssConnections) connections (fresh gateway)", connections: rssConnections,
                detail: "each connection repeats one of the 28 queries for its own patient", summary: recorder.summary(seconds: seconds),
                serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage()))
        }
        if wanted.contains("soak") {
            try await soak(gateway: gateway, paths: readPaths, report: &report)
        }
        gateway.stop()

        if wanted.contains("overload") {
            try await overload(zorgnet: zorgnetBinary, root: root, data: data, paths: readPaths, report: &report)
        }

        report.ratios = Self.ratios(report)
        if wanted.contains("overhead") {
            // After the gateway has stopped: one server at a time on the data directory.
            let scenario = OverheadScenario(
                binary: overheadBinary, gatewayRoot: root, dataDirectory: data, rounds: overheadRounds, connections: [1, 16],
                warmUp: warmUp, seconds: readSeconds)
            try await scenario.run(paths: readPaths, report: &report)
        }
        try write(report, json: jsonPath, markdown: markdownPath)
    }

    private func pushScenarios(gateway: GatewayRun, root: String, data: String, report: inout LoadReport) async throws {
        let factory = try PushBundleFactory(fixture: "\(root)/Fixtures/push/discharge-summary-diabetes.json")
        let run = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        let gatewayRaw = RawSQLiteBaseline(livePath: "\(data)/gateway.sqlite", copyPath: "\(data)/raw-baseline-gateway.sqlite", synchronousFull: false)
        let auditRaw = RawSQLiteBaseline(livePath: "\(data)/audit.sqlite", copyPath: "\(data)/raw-baseline-audit.sqlite", synchronousFull: true)
        try gatewayRaw.snapshot()
        try auditRaw.snapshot()
        var pushed = 0
        for connections in [1, 8] {
            let bundles = try (0..<pushBundles).map { try factory.bundle(index: pushed + $0, run: run, size: bundleSize) }
            pushed += bundles.count
            log("(c) push, \(bundles.count) bundles of \(bundleSize) on \(connections) connections")
            let (recorder, seconds) = try await Scenarios.push(gateway.target, bundles: bundles, connections: connections)
            report.scenarios.append(ScenarioResult(
                scenario: "c EPD push (transaction Bundles)", connections: connections,
                detail: "\(bundles.count) bundles of \(bundleSize) resources for pzc-diab-patient, as hospital-demo",
                summary: recorder.summary(seconds: seconds, units: bundleSize, unitName: "resources"),
                serverPeakRSSMegabytes: gateway.peakRSSMegabytes, loadAverage: loadAverage()))
        }
        log("(e) raw SQLite inserts of the rows the pushes wrote")
        let gatewayOutcome = try gatewayRaw.measure(transactions: pushed)
        let auditOutcome = try auditRaw.measure(transactions: pushed)
        let seconds = gatewayOutcome.seconds + auditOutcome.seconds
        report.rawSQLite = .init(
            gateway: gatewayOutcome, audit: auditOutcome, bundles: pushed, resourcesPerBundle: bundleSize,
            resourcesPerSecond: seconds > 0 ? (Double(pushed * bundleSize) / seconds).rounded() : 0)
        for path in [gatewayRaw.copyPath, auditRaw.copyPath] {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    private static func ratios(_ report: LoadReport) -> [String: Double] {
        func throughput(_ prefix: String, _ connections: Int) -> Double? {
            report.scenarios.first { $0.scenario.hasPrefix(prefix) && $0.connections == connections }?.summary.throughputPerSecond
        }
        var ratios: [String: Double] = [:]
        if let read = throughput("b ", 16), let limit = throughput("d ", 16), limit > 0 { ratios["read16 / trivial16 throughput"] = read / limit }
        if let read = throughput("b ", 1), let limit = throughput("d ", 1), limit > 0 { ratios["read1 / trivial1 throughput"] = read / limit }
        if let raw = report.rawSQLite?.resourcesPerSecond, raw > 0 {
            if let push = throughput("c ", 1) { ratios["push1 / raw SQLite resources/s"] = push / raw }
            if let push = throughput("c ", 8) { ratios["push8 / raw SQLite resources/s"] = push / raw }
        }
        return ratios
    }

    private func patientList(data: String) throws -> [String] {
        if let patients { return patients.split(separator: ",").map(String.init) }
        let file = "\(data)/benchmark-patients.txt"
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return ["pzc-kind-patient", "pzc-diab-patient", "pzc-fert-patient", "pzc-park-patient", "pzc-wils-patient"]
    }

    private func write(_ report: LoadReport, json: String?, markdown: String?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let jsonData = try encoder.encode(report)
        if let json { try jsonData.write(to: URL(fileURLWithPath: json)) }
        if let markdown { try report.markdown().write(toFile: markdown, atomically: true, encoding: .utf8) }
        print(report.markdown())
    }

    private static func machine() -> String {
        "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
    }
}

func log(_ text: String) {
    let time = Date().formatted(.dateTime.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
    FileHandle.standardError.write(Data("[zorgnet-load \(time)] \(text)\n".utf8))
}
