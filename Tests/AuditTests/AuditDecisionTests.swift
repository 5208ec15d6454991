import FHIR
import Foundation
import GRDB
import Testing

@testable import Audit

/// The consent decision field of audit events: stored, read back, covered by the hash chain, and
/// added without changing how older records hash.
@Suite("Consent decisions in the audit chain")
struct AuditDecisionTests {
    static let decision = ConsentDecisionRecord(
        outcome: .partial, consents: [ConsentVersion(id: "c1", version: 2), ConsentVersion(id: "c7", version: 1)], permitted: 5,
        denied: 3)

    static func event(_ index: Int, decision: ConsentDecisionRecord?) -> AuditEvent {
        AuditEvent(
            recorded: "2026-11-23T12:00:0\(index).000Z", channel: .back, method: "GET", path: "/fhir/Observation", status: 200,
            partyID: "pgo-demo", partyKind: "app", patientID: "p1", entities: ["Observation/o\(index)"], decision: decision)
    }

    /// A log with events 1 and 3 carrying decisions and event 2 without.
    static func makeLog() async throws -> (AuditLog, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let log = try AuditLog(path: directory + "/audit.sqlite")
        try await log.append(event(1, decision: decision))
        try await log.append(event(2, decision: nil))
        try await log.append(event(3, decision: ConsentDecisionRecord(outcome: .deny, consents: [], permitted: 0, denied: 1)))
        return (log, directory)
    }

    @Test("decisions read back as written, and a log mixing events with and without one verifies")
    func roundTrip() async throws {
        let (log, _) = try await Self.makeLog()
        let records = try await log.records()
        #expect(records.map(\.event.decision) == [Self.decision, nil, ConsentDecisionRecord(outcome: .deny, consents: [], permitted: 0, denied: 1)])
        #expect(try await log.verify().isIntact)
    }

    @Test("an event without a decision hashes exactly as before decisions existed")
    func originalEncodingKept() {
        let bytes = CanonicalEncoding.bytes(sequence: 7, event: Self.event(1, decision: nil))
        let expected = #"{"v":"zorgnet-audit-1","seq":7,"recorded":"2026-11-23T12:00:01.000Z","channel":"back","method":"GET","path":"/fhir/Observation","status":200,"party":"pgo-demo","partyKind":"app","certificate":null,"patient":"p1","entities":["Observation/o1"],"clientAddress":null,"requestID":null,"correlationID":null,"detail":null}"#
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test("an event with a decision uses the second encoding, with the decision last")
    func secondEncoding() {
        let text = String(decoding: CanonicalEncoding.bytes(sequence: 7, event: Self.event(1, decision: Self.decision)), as: UTF8.self)
        #expect(text.hasPrefix(#"{"v":"zorgnet-audit-2","seq":7,"#))
        #expect(text.hasSuffix(#","decision":{"outcome":"partial","consents":[{"id":"c1","version":2},{"id":"c7","version":1}],"permitted":5,"denied":3}}"#))
    }

    @Test("outcomes follow the counts: nothing withheld permits, nothing disclosed denies")
    func outcomes() {
        #expect(ConsentDecisionRecord.outcome(permitted: 3, denied: 0) == .permit)
        #expect(ConsentDecisionRecord.outcome(permitted: 0, denied: 0) == .permit)
        #expect(ConsentDecisionRecord.outcome(permitted: 0, denied: 2) == .deny)
        #expect(ConsentDecisionRecord.outcome(permitted: 1, denied: 2) == .partial)
    }

    static let tamperCases: [AuditChainTests.TamperCase] = [
        .init(name: "removed decision", sql: "UPDATE audit_event SET decision = NULL WHERE seq = 1", brokenAt: 1, reason: .contentAltered),
        .init(
            name: "edited count", sql: "UPDATE audit_event SET decision = replace(decision, '\"denied\":3', '\"denied\":0') WHERE seq = 1",
            brokenAt: 1, reason: .contentAltered),
        .init(
            name: "decision added to an event without one",
            sql: "UPDATE audit_event SET decision = (SELECT decision FROM audit_event WHERE seq = 3) WHERE seq = 2", brokenAt: 2,
            reason: .contentAltered),
        .init(name: "unreadable decision", sql: "UPDATE audit_event SET decision = 'permit' WHERE seq = 3", brokenAt: 3, reason: .contentAltered),
        .init(
            name: "reformatted decision", sql: "UPDATE audit_event SET decision = replace(decision, ',', ', ') WHERE seq = 3", brokenAt: 3,
            reason: .contentAltered),
    ]

    @Test("tampering with a decision is detected at that event", arguments: tamperCases)
    func tampering(_ tamper: AuditChainTests.TamperCase) async throws {
        let (log, _) = try await Self.makeLog()
        try await AuditChainTests.tamper(log, tamper.sql)
        #expect(try await log.verify() == .broken(at: tamper.brokenAt, reason: tamper.reason))
    }

    @Test("a log written before decisions existed opens read-only as it is, and a writer migrates and continues it")
    func olderLog() async throws {
        let (writer, directory) = try await AuditChainTests.makeLog(events: 3)
        // Turn it back into a log of the first schema, as an older gateway left it.
        try await writer.pool.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE audit_event DROP COLUMN decision")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2: consent decisions'")
        }
        try writer.close()
        let path = directory + "/audit.sqlite"

        let reader = try AuditLog(readingAt: path)
        #expect(try await reader.verify() == .intact(count: 3, head: try await reader.records().last?.chainHash ?? []))
        try reader.close()

        let reopened = try AuditLog(path: path)
        try await reopened.append(Self.event(4, decision: Self.decision))
        #expect(try await reopened.verify().isIntact)
        #expect(try await reopened.records().last?.event.decision == Self.decision)
        try reopened.close()
    }

    @Test("a log with a migration this version does not know is refused read-only")
    func newerLogRefused() async throws {
        let (writer, directory) = try await AuditChainTests.makeLog(events: 1)
        try await writer.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')")
        }
        try writer.close()
        let path = directory + "/audit.sqlite"
        #expect(throws: AuditLogError.notAnAuditLog(path: path)) { try AuditLog(readingAt: path) }
    }
}
