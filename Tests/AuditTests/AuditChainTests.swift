import Foundation
import GRDB
import Testing

@testable import Audit

@Suite("Audit hash chain")
struct AuditChainTests {
    /// A fresh audit log in its own temporary directory, with `count` events appended.
    static func makeLog(events count: Int) async throws -> (AuditLog, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let log = try AuditLog(path: directory + "/audit.sqlite")
        for index in 1...count {
            try await log.append(
                AuditEvent(
                    recorded: "2026-11-23T12:00:\(String(format: "%02d", index % 60)).000Z", channel: .back, method: "GET",
                    path: "/fhir/Observation/obs-\(index)", status: 200, partyID: "pgo-demo", partyKind: "app",
                    certificateFingerprint: "ab", patientID: "p1", entities: ["Observation/obs-\(index)"],
                    clientAddress: "127.0.0.1:50000", requestID: "req-\(index)"))
        }
        return (log, directory)
    }

    /// Runs raw SQL the way someone with write access to the file would: triggers dropped first.
    static func tamper(_ log: AuditLog, _ sql: String) async throws {
        try await log.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_event_no_update; DROP TRIGGER IF EXISTS audit_event_no_delete")
            try db.execute(sql: sql)
        }
    }

    @Test("an untouched log verifies as intact and counts every event")
    func intactChain() async throws {
        let (log, _) = try await Self.makeLog(events: 5)
        let verification = try await log.verify()
        guard case .intact(let count, _) = verification else {
            Issue.record("expected intact, got \(verification)")
            return
        }
        #expect(count == 5)
    }

    @Test("each record links to the previous record's chain hash")
    func recordsAreLinked() async throws {
        let (log, _) = try await Self.makeLog(events: 3)
        let records = try await log.records()
        #expect(records[0].previousHash == AuditLog.genesisHash)
        #expect(records[1].previousHash == records[0].chainHash)
        #expect(records[2].previousHash == records[1].chainHash)
    }

    @Test("updates and deletes are refused by the database")
    func appendOnly() async throws {
        let (log, _) = try await Self.makeLog(events: 2)
        await #expect(throws: DatabaseError.self) {
            try await log.pool.write { db in try db.execute(sql: "UPDATE audit_event SET status = 500 WHERE seq = 1") }
        }
        await #expect(throws: DatabaseError.self) {
            try await log.pool.write { db in try db.execute(sql: "DELETE FROM audit_event WHERE seq = 1") }
        }
    }

    struct TamperCase: Sendable, CustomTestStringConvertible {
        let name: String
        let sql: String
        let brokenAt: Int64
        let reason: AuditVerification.Reason
        var testDescription: String { name }
    }

    static let tamperCases: [TamperCase] = [
        TamperCase(name: "edited status", sql: "UPDATE audit_event SET status = 404 WHERE seq = 3", brokenAt: 3, reason: .contentAltered),
        TamperCase(name: "edited patient", sql: "UPDATE audit_event SET patient_id = 'p2' WHERE seq = 2", brokenAt: 2, reason: .contentAltered),
        TamperCase(name: "edited entities", sql: "UPDATE audit_event SET entities = '[]' WHERE seq = 4", brokenAt: 4, reason: .contentAltered),
        TamperCase(
            name: "edited channel to another channel", sql: "UPDATE audit_event SET channel = 'front' WHERE seq = 2", brokenAt: 2,
            reason: .contentAltered),
        // No channel decodes from this, so the record cannot be hashed as the original: it must not be
        // read as some default channel (which once made a back row with an unknown channel verify).
        TamperCase(
            name: "edited channel to an unknown value", sql: "UPDATE audit_event SET channel = 'elsewhere' WHERE seq = 2", brokenAt: 2,
            reason: .contentAltered),
        TamperCase(name: "nulled detail field set", sql: "UPDATE audit_event SET detail = 'looks fine' WHERE seq = 1", brokenAt: 1, reason: .contentAltered),
        TamperCase(name: "deleted middle event", sql: "DELETE FROM audit_event WHERE seq = 3", brokenAt: 4, reason: .sequenceGap(expected: 3)),
        TamperCase(name: "deleted first event", sql: "DELETE FROM audit_event WHERE seq = 1", brokenAt: 2, reason: .sequenceGap(expected: 1)),
        TamperCase(
            name: "deleted event and renumbered the rest",
            sql: "DELETE FROM audit_event WHERE seq = 2; UPDATE audit_event SET seq = seq - 1 WHERE seq > 2",
            brokenAt: 2, reason: .previousHashMismatch),
        TamperCase(
            name: "swapped two events",
            sql: "UPDATE audit_event SET seq = -2 WHERE seq = 2; UPDATE audit_event SET seq = 2 WHERE seq = 3; UPDATE audit_event SET seq = 3 WHERE seq = -2",
            brokenAt: 2, reason: .previousHashMismatch),
        TamperCase(
            name: "recomputed hash of an edited event without relinking",
            sql: "UPDATE audit_event SET method = 'DELETE', chain_hash = zeroblob(32) WHERE seq = 2",
            brokenAt: 2, reason: .contentAltered),
    ]

    @Test("tampering is detected and the first broken event is named", arguments: tamperCases)
    func tamperingIsDetected(_ tamper: TamperCase) async throws {
        let (log, _) = try await Self.makeLog(events: 5)
        try await Self.tamper(log, tamper.sql)
        let verification = try await log.verify()
        #expect(verification == .broken(at: tamper.brokenAt, reason: tamper.reason))
    }

    @Test("a reopened log continues the chain")
    func reopenContinues() async throws {
        let (log, directory) = try await Self.makeLog(events: 2)
        try log.close()
        let reopened = try AuditLog(path: directory + "/audit.sqlite")
        try await reopened.append(AuditEvent(recorded: "2026-11-23T13:00:00.000Z", channel: .cli, method: "TOKEN", path: "token issue", status: 0))
        #expect(try await reopened.verify() == .intact(count: 3, head: try await reopened.records().last?.chainHash ?? []))
    }

    @Test("the durable write mode is FULL")
    func synchronousFull() async throws {
        let (log, _) = try await Self.makeLog(events: 1)
        let mode = try await log.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(mode == 2)
    }
}
