import Crypto
import Foundation
import GRDB

/// What the crash-safety test sent and saw, over all rounds so far.
struct CrashLedger: Sendable {
    struct Push: Sendable {
        var round: Int
        var bundlePath: String
        /// The HTTP status curl received, when it received a whole answer.
        var status: Int?
        var body: Data?
        /// Cut off by a kill and sent again after the last restart (`status` and `body` are then the
        /// retry's, and the audit event is the retry's or the first commit's).
        var retried = false

        var accepted: Bool { status.map { (200..<300).contains($0) } ?? false }
        var refused: Bool { status.map { (400..<500).contains($0) } ?? false }
    }

    struct Import: Sendable {
        var round: Int
        var pzcID: String
        var exportPath: String
        /// The import process exited 0 before it could be killed.
        var finished: Bool
    }

    var pushes: [String: Push] = [:]
    var printedTokens: [String] = []
    var launchedTokenGrants = 0
    var imports: [Import] = []
}

/// What a whole push or import leaves, measured on the setup's own reference run.
struct CrashBaseline: Sendable {
    /// Resources with a greater key were created during the rounds.
    var resourceKey: Int64
    /// Audit events with a greater sequence number were appended during the rounds.
    var auditSequence: Int64
    /// Tokens issued at or after this instant belong to the rounds.
    var startMilliseconds: Int64
    var bundleSize: Int
    /// Resources and `pzc_resource` links one import of the export leaves.
    var importResources: Int
    var importLinks: Int

    static let importPrefix = "crashimp-"
}

/// Reads `gateway.sqlite` and `audit.sqlite` read-only while no process has them open (after a kill)
/// and reports every property that does not hold, one sentence each.
enum CrashInspection {
    struct Report {
        var problems: [String] = []
        /// Kept pushes with no `exchange.push` audit event: killed between the commit and the audit
        /// append, so never answered (an answered push without its event is a problem).
        var unauditedPushes = 0
        /// Imports whose resources are all stored but whose PZC is not registered: a problem, since an
        /// import commits its resources and its registration in one transaction.
        var unregisteredImports = 0
        /// `oauth.token` events of the grant processes, and tokens stored, since the rounds began.
        var auditedGrants = 0
        var storedTokens = 0
    }

    static func inspect(directory: String, ledger: CrashLedger, baseline: CrashBaseline) throws -> Report {
        var report = Report()
        var problems: [String] = []
        var configuration = Configuration()
        configuration.readonly = true
        let gateway = try DatabaseQueue(path: directory + "/gateway.sqlite", configuration: configuration)
        defer { try? gateway.close() }
        try gateway.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems.append("gateway.sqlite integrity_check: \(integrity.prefix(5))") }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !foreignKeys.isEmpty { problems.append("gateway.sqlite foreign_key_check: \(foreignKeys.count) violation(s)") }
            let withoutVersion = try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM resource r WHERE NOT EXISTS (SELECT 1 FROM resource_version v
                    WHERE v.resource_key = r.resource_key AND v.version = r.current_version)
                    """) ?? 0
            if withoutVersion > 0 { problems.append("\(withoutVersion) resource(s) without their current version") }
            problems += try pushProblems(db, ledger: ledger, baseline: baseline)
            problems += try importProblems(db, ledger: ledger, baseline: baseline)
            report.unregisteredImports = try ledger.imports.filter { attempt in
                let state = try importState(db, pzcID: attempt.pzcID)
                return state.resources == baseline.importResources && !state.registered
            }.count
            // An import's resources and its registration are one transaction.
            if report.unregisteredImports > 0 {
                problems.append("\(report.unregisteredImports) import(s) stored without their PZC registration")
            }
        }
        let kept = try gateway.read { db in
            try Row.fetchAll(db, sql: "SELECT identifier_value, push_id FROM pushed_bundle WHERE identifier_value LIKE 'crash-r%'")
                .map { (identifier: $0["identifier_value"] as String, pushID: $0["push_id"] as String) }
        }
        let audit = try DatabaseQueue(path: directory + "/audit.sqlite", configuration: configuration)
        defer { try? audit.close() }
        let (auditedGrants, auditedPushes) = try audit.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems.append("audit.sqlite integrity_check: \(integrity.prefix(5))") }
            let grants = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM audit_event WHERE kind = 'oauth.token' AND channel = 'cli' AND seq > ?",
                arguments: [baseline.auditSequence]) ?? 0
            // "push <push id> accepted: …"
            let pushes = try String.fetchAll(
                db, sql: "SELECT detail FROM audit_event WHERE kind = 'exchange.push' AND seq > ? AND detail LIKE 'push % accepted%'",
                arguments: [baseline.auditSequence]
            ).compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
            return (grants, Set(pushes))
        }
        for (identifier, pushID) in kept where !auditedPushes.contains(pushID) {
            if let push = ledger.pushes[identifier], push.accepted, !push.retried {
                problems.append("push \(identifier) (round \(push.round)) was answered \(push.status ?? 0) without its audit event")
            } else {
                report.unauditedPushes += 1
            }
        }
        let tokens = try gateway.read { db in
            try Self.tokenProblems(db, ledger: ledger, baseline: baseline, audited: auditedGrants)
        }
        report.problems = problems + tokens.problems
        report.auditedGrants = auditedGrants
        report.storedTokens = tokens.stored
        return report
    }

    /// After an orderly stop: the server signed a checkpoint over every event it appended (the
    /// command-line tools' own `cli` events may come later), and that checkpoint is in the log.
    static func shutdownCheckpointProblems(directory: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let audit = try DatabaseQueue(path: directory + "/audit.sqlite", configuration: configuration)
        defer { try? audit.close() }
        return try audit.read { db in
            let lastServerEvent = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_event WHERE channel != 'cli'") ?? 0
            let lastCheckpoint = try Int64.fetchOne(db, sql: "SELECT max(size) FROM audit_checkpoint") ?? 0
            return lastCheckpoint >= lastServerEvent
                ? [] : ["the last checkpoint covers events up to \(lastCheckpoint), the server appended up to \(lastServerEvent)"]
        }
    }

    /// Every push the client sent is whole (its `pushed_bundle` row, a response with an entry per
    /// Bundle entry, every created resource at the version named, a Provenance naming exactly those) or
    /// absent (no row and none of its resources); every push answered 2xx is whole and its kept
    /// response is the answer the client got; none answered 4xx is kept. Resources created during the
    /// rounds that no import made are exactly those of the kept pushes: nothing half-stored.
    static func pushProblems(_ db: Database, ledger: CrashLedger, baseline: CrashBaseline) throws -> [String] {
        var problems: [String] = []
        var created: [String: Int64] = [:]  // "Type/id" → current version, of resources created in the rounds
        for row in try Row.fetchAll(
            db, sql: "SELECT type, id, current_version FROM resource WHERE resource_key > ?", arguments: [baseline.resourceKey])
        {
            let id: String = row["id"]
            if !id.hasPrefix(CrashBaseline.importPrefix) { created["\(row["type"] as String)/\(id)"] = row["current_version"] }
        }
        var expected: Set<String> = []
        let rows = try Row.fetchAll(
            db, sql: "SELECT identifier_value, response_bytes, provenance_id FROM pushed_bundle WHERE identifier_value LIKE 'crash-r%'")
        var kept: [String: Data] = [:]
        for row in rows {
            let identifier: String = row["identifier_value"]
            let response: Data = row["response_bytes"]
            let provenanceID: String = row["provenance_id"]
            kept[identifier] = response
            guard ledger.pushes[identifier] != nil else {
                problems.append("push \(identifier) is kept but was never sent")
                continue
            }
            let entries = ((try? JSONSerialization.jsonObject(with: response)) as? [String: Any])?["entry"] as? [[String: Any]] ?? []
            if entries.count != baseline.bundleSize {
                problems.append("push \(identifier): kept response has \(entries.count) entries, not \(baseline.bundleSize)")
            }
            var locations: Set<String> = []
            for entry in entries {
                let response = entry["response"] as? [String: Any]
                guard response?["status"] as? String == "201 Created", let location = response?["location"] as? String else { continue }
                locations.insert(location)
                let parts = location.split(separator: "/")
                guard parts.count == 4, parts[2] == "_history" else {
                    problems.append("push \(identifier): location \(location) is not Type/id/_history/n")
                    continue
                }
                let reference = "\(parts[0])/\(parts[1])"
                expected.insert(reference)
                if created[reference] != Int64(parts[3]) {
                    problems.append("push \(identifier): \(location) is missing (stored: \(created[reference].map(String.init) ?? "none"))")
                }
            }
            if locations.count < baseline.bundleSize - 3 {
                problems.append("push \(identifier): only \(locations.count) resources created of \(baseline.bundleSize)")
            }
            expected.insert("Provenance/\(provenanceID)")
            let provenance = try Data.fetchOne(
                db,
                sql: """
                    SELECT v.content_json FROM resource r JOIN resource_version v
                    ON v.resource_key = r.resource_key AND v.version = r.current_version WHERE r.type = 'Provenance' AND r.id = ?
                    """, arguments: [provenanceID])
            let targets = ((provenance.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any])?["target"]
                as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }.filter { !$0.hasPrefix("Patient/") }
            if provenance == nil {
                problems.append("push \(identifier): its Provenance/\(provenanceID) is missing")
            } else if Set(targets) != locations {
                problems.append("push \(identifier): the Provenance names \(targets.count) targets, the response \(locations.count)")
            }
        }
        let orphans = Set(created.keys).subtracting(expected)
        if !orphans.isEmpty {
            problems.append("\(orphans.count) resource(s) created by no kept push, e.g. \(orphans.sorted().prefix(3))")
        }
        for (identifier, push) in ledger.pushes.sorted(by: { $0.key < $1.key }) {
            if push.accepted {
                if let response = kept[identifier] {
                    if response != push.body {
                        problems.append(
                            "push \(identifier) (round \(push.round)): kept response differs from the \(push.status ?? 0) answer sent")
                    }
                } else {
                    problems.append("push \(identifier) (round \(push.round)) was answered \(push.status ?? 0) but is lost")
                }
            } else if push.refused, kept[identifier] != nil {
                problems.append("push \(identifier) (round \(push.round)) was refused with \(push.status ?? 0) but is kept")
            }
        }
        return problems
    }

    /// Each import's resources are all there or none (an import stores its resources in one
    /// transaction); its PZC registration only with all of them and all their links; an import that
    /// exited 0 is registered.
    static func importProblems(_ db: Database, ledger: CrashLedger, baseline: CrashBaseline) throws -> [String] {
        var problems: [String] = []
        for attempt in ledger.imports {
            let state = try importState(db, pzcID: attempt.pzcID)
            if state.resources != 0 && state.resources != baseline.importResources {
                problems.append(
                    "import \(attempt.pzcID) (round \(attempt.round)): \(state.resources) of \(baseline.importResources) resources")
            }
            if state.registered && (state.resources != baseline.importResources || state.links != baseline.importLinks) {
                problems.append(
                    "import \(attempt.pzcID) (round \(attempt.round)): registered with \(state.resources) resources and "
                        + "\(state.links) links")
            }
            if attempt.finished && !state.registered {
                problems.append("import \(attempt.pzcID) (round \(attempt.round)) exited 0 but its PZC is not registered")
            }
        }
        return problems
    }

    static func importState(_ db: Database, pzcID: String) throws -> (resources: Int, registered: Bool, links: Int) {
        let prefix = pzcID + "-"
        let resources = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM resource WHERE substr(id, 1, ?) = ?", arguments: [prefix.count, prefix]) ?? 0
        let registered = try Int.fetchOne(db, sql: "SELECT count(*) FROM pzc WHERE pzc_id = ?", arguments: [pzcID]) == 1
        let links = try Int.fetchOne(db, sql: "SELECT count(*) FROM pzc_resource WHERE pzc_id = ?", arguments: [pzcID]) ?? 0
        return (resources, registered, links)
    }

    /// Every printed token is stored (as its SHA-256), unrevoked; the grants counted in order of
    /// their steps never grow: printed ≤ audited `oauth.token` events ≤ stored tokens ≤ grant processes
    /// started. So no token exists that no grant asked for, and none was handed out unaudited.
    static func tokenProblems(_ db: Database, ledger: CrashLedger, baseline: CrashBaseline, audited: Int) throws
        -> (problems: [String], stored: Int)
    {
        var problems: [String] = []
        let hashes = Set(
            try Data.fetchAll(
                db,
                sql: """
                    SELECT token_hash FROM access_token
                    WHERE party_id = 'pgo-demo' AND patient_id = 'pzc-diab-patient' AND issued_at_ms >= ? AND revoked = 0
                    """, arguments: [baseline.startMilliseconds]))
        let stored = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM access_token WHERE issued_at_ms >= ?", arguments: [baseline.startMilliseconds]) ?? 0
        let lost = ledger.printedTokens.filter { !hashes.contains(Data(SHA256.hash(data: Data($0.utf8)))) }
        if !lost.isEmpty { problems.append("\(lost.count) printed token(s) not stored (or revoked)") }
        let printed = ledger.printedTokens.count
        if !(printed <= audited && audited <= stored && stored <= ledger.launchedTokenGrants) {
            problems.append(
                "token grants out of order: \(printed) printed, \(audited) audited, \(stored) stored, "
                    + "\(ledger.launchedTokenGrants) started")
        }
        return (problems, stored)
    }
}
