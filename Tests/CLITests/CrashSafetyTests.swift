import Foundation
import GRDB
import Testing

/// The gateway killed with SIGKILL at random moments while it takes large pushes, while an import
/// writes and while token grants run, then restarted: nothing half-stored, nothing accepted lost.
///
/// Each round starts `zorgnet serve` on the data directory, checks that the tokens printed in the
/// round before still work, then runs at once: two clients pushing 100-entry transaction Bundles over
/// mutual TLS as the demo hospital (one after the other, each with its own `Bundle.identifier`), one
/// `zorgnet import` of a copy of the diabetes export under a fresh PZC id and BSN (killed at its own
/// random moment), and `zorgnet token issue` processes one after the other. 50–800 ms after the work
/// starts the server and the running token grant are killed together, like a machine losing power.
/// With every process gone the two databases are read as they were left and must hold
/// (``CrashInspection``):
/// - `PRAGMA integrity_check` is `ok` on both, `foreign_key_check` finds nothing, and
///   `zorgnet audit verify` reports the chain intact;
/// - every push sent is whole (its `pushed_bundle` row, an answer entry per Bundle entry, every
///   created resource at the version named, a Provenance naming exactly those) or absent; the
///   resources created in the rounds that no import made are exactly those of the kept pushes;
///   every push answered 2xx is kept with the very bytes answered and has its `exchange.push` event;
/// - every import has all of the export's resources or none; its PZC is registered only with all
///   of them and their links, is registered whenever its resources are stored (one transaction), and
///   is registered when the import exited 0;
/// - every printed token is stored unrevoked, and printed ≤ audited grants ≤ stored tokens ≤ grant
///   processes started: no token exists that no grant asked for (a grant killed after storing its
///   token but before printing it leaves a token whose text nobody ever had).
/// After the last round the gateway is started once more: every printed token still reads the
/// patient (200) and a token never issued gets 401, accepted pushes sent again get their first answer
/// back, pushes cut off by a kill sent again are stored whole, and the same inspection follows a
/// clean stop.
///
/// The seed of the random moments is printed; set `ZORGNET_CRASH_SEED` to run the same moments again
/// (the timing of the processes themselves still varies).
@Suite("Crash safety: SIGKILL during pushes, imports and token grants", .serialized)
struct CrashSafetyTests {
    static let rounds = 20

    @Test(
        """
        after 20 SIGKILLs during pushes, imports and token grants every push is whole or absent, nothing accepted is lost, \
        imports are whole or absent, every printed token still works and no unasked-for token exists, both databases pass \
        integrity_check and the audit log verifies
        """)
    func killedAtRandomMoments() async throws {
        let seed = ProcessInfo.processInfo.environment["ZORGNET_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("CrashSafety seed \(seed) (replay with ZORGNET_CRASH_SEED=\(seed))")
        var random = SeededGenerator(seed: seed)
        var run = try await CrashRun.setUp(seed: seed)
        for round in 1...Self.rounds {
            try await run.round(round, random: &random)
        }
        try await run.finish()
        print("CrashSafety seed \(seed): \(run.summary)")
        #expect(run.serverKills >= Self.rounds)
    }
}

/// The data directory and what was sent, over all rounds.
struct CrashRun {
    let seed: UInt64
    let work: String
    let data: String
    let baseline: CrashBaseline
    let bundles: PushBundles
    var ledger = CrashLedger()
    var serverKills = 0
    /// Rounds ended by SIGTERM (``GracefulStopTests``) instead of SIGKILL.
    var orderlyStops = 0
    /// Pushes answered after the SIGTERM came: in flight then, and finished by the orderly stop.
    var answeredDuringStops = 0
    var importKills = 0
    var tokenKills = 0
    var pushesInFlight = 0
    var unauditedPushes = 0
    var unregisteredImports = 0
    var importsFinished = 0
    var lastReport = CrashInspection.Report()
    var tokensToCheck: [String] = []
    var recorded = 0

    /// Records a failure; a run with any keeps its data directory for a look afterwards.
    mutating func record(_ problem: String, sourceLocation: SourceLocation = #_sourceLocation) {
        recorded += 1
        Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
    }

    var summary: String {
        let accepted = ledger.pushes.values.filter { $0.accepted && !$0.retried }.count
        return "\(serverKills) server kills, \(importKills) import kills, \(tokenKills) token-grant kills; "
            + "\(ledger.pushes.count) pushes sent, \(accepted) accepted, \(pushesInFlight) cut off by a kill; "
            + "token grants: \(ledger.launchedTokenGrants) started, "
            + "\(lastReport.storedTokens) stored, \(lastReport.auditedGrants) audited, \(ledger.printedTokens.count) printed; "
            + "\(importsFinished) of \(ledger.imports.count) imports finished before their kill; \(unauditedPushes) push(es) stored but "
            + "killed before their audit event (never answered); \(unregisteredImports) import(s) stored without their "
            + "registration (must be 0: one transaction)"
    }

    /// A demo data directory with one token granted (which records the demo consent) and one reference
    /// import, whose resources and links every import of a round must match.
    static func setUp(seed: UInt64) async throws -> CrashRun {
        let work = try CommandRunner.temporaryDirectory()
        let data = work + "/data"
        let bundles = try PushBundles(size: 100)
        let (server, _) = try await CrashServer.start(data: data, work: work, name: "serve-setup", demo: true)
        let token = try CommandRunner.run(
            ["token", "issue", "--data-dir", data, "--client", "pgo-demo", "--patient", "pzc-diab-patient", "--minutes", "15"])
        #expect(token.status == 0, "\(token.standardError)")
        let export = work + "/crashimp-ref.json"
        try ImportExports.write(pzcID: CrashBaseline.importPrefix + "ref", bsn: ImportExports.bsn(Int(seed % 1000) * 100), to: export)
        let imported = try CommandRunner.run(["import", export, "--data-dir", data])
        #expect(imported.status == 0, "\(imported.standardError)")
        server.kill(SIGTERM)
        _ = await server.wait()

        var configuration = Configuration()
        configuration.readonly = true
        let gateway = try DatabaseQueue(path: data + "/gateway.sqlite", configuration: configuration)
        let (key, reference) = try await gateway.read { db in
            (try Int64.fetchOne(db, sql: "SELECT max(resource_key) FROM resource") ?? 0,
             try CrashInspection.importState(db, pzcID: CrashBaseline.importPrefix + "ref"))
        }
        try gateway.close()
        let audit = try DatabaseQueue(path: data + "/audit.sqlite", configuration: configuration)
        let sequence = try await audit.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_event") ?? 0 }
        try audit.close()
        #expect(reference.registered && reference.resources > 20, "the reference import: \(reference)")
        let baseline = CrashBaseline(
            resourceKey: key, auditSequence: sequence, startMilliseconds: Int64(Date().timeIntervalSince1970 * 1000),
            bundleSize: bundles.size, importResources: reference.resources, importLinks: reference.links)
        return CrashRun(seed: seed, work: work, data: data, baseline: baseline, bundles: bundles)
    }

    /// One round: restart, check the last round's tokens, work, kill (or, with `SIGTERM`, stop the
    /// server in order while four clients push), inspect.
    mutating func round(_ number: Int, random: inout SeededGenerator, signal: Int32 = SIGKILL) async throws {
        let killDelay = Int.random(in: 50...800, using: &random)
        let importDelay = Int.random(in: 0...200, using: &random)
        let importKillDelay = Int.random(in: 50...800, using: &random)
        let context =
            "round \(number) (seed \(seed), \(signal == SIGKILL ? "SIGKILL" : "SIGTERM") after \(killDelay) ms, import from \(importDelay) ms killed at +\(importKillDelay) ms)"

        let (server, back) = try await CrashServer.start(data: data, work: work, name: "serve-r\(number)", demo: false)
        for problem in try await CrashServer.tokenProblems(back: back, data: data, tokens: tokensToCheck, work: work) {
            record("\(context), after restart: \(problem)")
        }

        let pzcID = CrashBaseline.importPrefix + String(format: "r%02d", number)
        let export = work + "/\(pzcID).json"
        try ImportExports.write(pzcID: pzcID, bsn: ImportExports.bsn(Int(seed % 1000) * 100 + number), to: export)
        let round = RoundWork(
            round: number, work: work, data: data, back: back, bundles: bundles, killSwitch: KillSwitch(signal: signal),
            results: RoundResults(), pushClients: signal == SIGKILL ? 2 : 4)
        let importResult = await round.run(
            server: server, killDelay: killDelay, importDelay: importDelay, importKillDelay: importKillDelay, export: export)
        let stopped = await server.wait()
        if signal == SIGTERM, stopped.killed || stopped.status != 0 {
            record("\(context): the orderly stop exited \(stopped.status)\(stopped.killed ? " by a signal" : ""): \(server.errors.suffix(500))")
        }

        let results = await round.results.snapshot()
        for problem in results.problems { record("\(context): \(problem)") }
        for (identifier, push) in results.pushes { ledger.pushes[identifier] = push }
        ledger.printedTokens += results.tokens
        ledger.launchedTokenGrants += results.launched
        ledger.imports.append(CrashLedger.Import(round: number, pzcID: pzcID, exportPath: export, finished: importResult.finished))
        tokensToCheck = results.tokens
        if signal == SIGKILL { serverKills += 1 } else { orderlyStops += 1 }
        answeredDuringStops += signal == SIGTERM ? results.answeredAfterSignal : 0
        importKills += importResult.killed ? 1 : 0
        importsFinished += importResult.finished ? 1 : 0
        tokenKills += await round.killSwitch.killed
        pushesInFlight += results.pushes.values.filter { $0.status == nil }.count

        let report = try CrashInspection.inspect(directory: data, ledger: ledger, baseline: baseline)
        for problem in report.problems { record("\(context): \(problem)") }
        if signal == SIGTERM {
            // An orderly stop finishes each request it took, audit event included.
            if report.unauditedPushes > unauditedPushes {
                record("\(context): \(report.unauditedPushes - unauditedPushes) push(es) stored without their audit event")
            }
            for problem in try CrashInspection.shutdownCheckpointProblems(directory: data) { record("\(context): \(problem)") }
        }
        unauditedPushes = report.unauditedPushes
        unregisteredImports = max(unregisteredImports, report.unregisteredImports)
        lastReport = report
        let verified = try CommandRunner.run(["audit", "verify", "--data-dir", data])
        if verified.status != 0 || !verified.standardOutput.contains("intact") {
            record("\(context): audit verify exited \(verified.status): \(verified.standardOutput)\(verified.standardError)")
        }
    }

    /// The last restart: every printed token works, accepted pushes sent again answer as the first
    /// time, pushes cut off by a kill and imports stored but not registered complete when sent again;
    /// then a clean stop and the same inspection.
    mutating func finish() async throws {
        let context = "after the last restart (seed \(seed))"
        let (server, back) = try await CrashServer.start(data: data, work: work, name: "serve-final", demo: false)
        for problem in try await CrashServer.tokenProblems(back: back, data: data, tokens: ledger.printedTokens, work: work) {
            record("\(context): \(problem)")
        }
        let sorted = ledger.pushes.sorted { $0.key < $1.key }
        let retried = Array(sorted.filter { $0.value.accepted }.suffix(3)) + Array(sorted.filter { $0.value.status == nil }.suffix(3))
        for (identifier, push) in retried {
            let answer = try await CrashServer.push(
                bundle: push.bundlePath, back: back, data: data, name: "retry-\(identifier)", work: work)
            if push.accepted, answer.status != push.status || answer.body != push.body {
                record("\(context): push \(identifier) sent again answered \(answer.status ?? 0), not its first answer")
            }
            if !push.accepted {
                if answer.status != 200 {
                    record("\(context): push \(identifier) cut off by a kill, sent again, answered \(answer.status ?? 0)")
                }
                ledger.pushes[identifier]?.status = answer.status
                ledger.pushes[identifier]?.body = answer.body
                ledger.pushes[identifier]?.retried = true
            }
        }
        for (index, attempt) in ledger.imports.enumerated() where !attempt.finished {
            let imported = try CommandRunner.run(["import", attempt.exportPath, "--data-dir", data])
            if imported.status != 0 { record("\(context): import \(attempt.pzcID) again: \(imported.standardError)") }
            ledger.imports[index].finished = imported.status == 0
        }
        server.kill(SIGTERM)
        let stopped = await server.wait()
        if stopped.status != 0 || stopped.killed { record("\(context): SIGTERM stop exited \(stopped.status)") }
        let report = try CrashInspection.inspect(directory: data, ledger: ledger, baseline: baseline)
        for problem in report.problems { record("\(context): \(problem)") }
        unauditedPushes = report.unauditedPushes
        lastReport = report
        if report.unregisteredImports > 0 { record("\(context): \(report.unregisteredImports) import(s) still not registered") }
        let verified = try CommandRunner.run(["audit", "verify", "--data-dir", data])
        if verified.status != 0 || !verified.standardOutput.contains("intact") {
            record("\(context): audit verify exited \(verified.status): \(verified.standardOutput)")
        }
        if recorded == 0 {
            try? FileManager.default.removeItem(atPath: work)
        } else {
            print("CrashSafety seed \(seed): the data directory and every process's output are kept in \(work)")
        }
    }
}
