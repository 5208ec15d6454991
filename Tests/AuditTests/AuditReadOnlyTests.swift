import Foundation
import GRDB
import Testing

@testable import Audit

@Suite("Audit log read-only access")
struct AuditReadOnlyTests {
    static func temporaryDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("opening a missing log read-only throws missingFile and creates no file")
    func missingFileIsAnError() throws {
        let path = try Self.temporaryDirectory() + "/audit.sqlite"
        #expect(throws: AuditLogError.missingFile(path: path)) { try AuditLog(readingAt: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file without the audit schema is refused read-only, not migrated")
    func foreignFileIsRefused() throws {
        let path = try Self.temporaryDirectory() + "/audit.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE something_else (x INTEGER)") }
        try queue.close()
        #expect(throws: AuditLogError.notAnAuditLog(path: path)) { try AuditLog(readingAt: path) }
        let tables = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(tables == ["something_else"])
    }

    @Test("a log opened read-only verifies the chain, refuses appends and leaves the file unchanged")
    func readOnlyVerifiesWithoutWriting() async throws {
        let (writer, directory) = try await AuditChainTests.makeLog(events: 3)
        try writer.close()
        let path = directory + "/audit.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let reader = try AuditLog(readingAt: path)
        #expect(reader.isReadOnly)
        let verification = try await reader.verify()
        #expect(verification.isIntact)
        #expect(try await reader.count() == 3)
        await #expect(throws: AuditLogError.readOnly(path: path)) {
            try await reader.append(AuditEvent(recorded: "2026-11-23T13:00:00.000Z", channel: .cli, method: "X", path: "x", status: 0))
        }
        // Even bypassing `append`, the connection itself cannot write.
        await #expect(throws: DatabaseError.self) {
            try await reader.pool.write { db in try db.execute(sql: "DELETE FROM audit_event") }
        }
        try reader.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a read-only log still reports tampering")
    func readOnlyDetectsTampering() async throws {
        let (writer, directory) = try await AuditChainTests.makeLog(events: 3)
        try await AuditChainTests.tamper(writer, "UPDATE audit_event SET channel = 'elsewhere' WHERE seq = 3")
        try writer.close()
        let reader = try AuditLog(readingAt: directory + "/audit.sqlite")
        defer { try? reader.close() }
        #expect(try await reader.verify() == .broken(at: 3, reason: .contentAltered))
    }

    @Test("reading records with an unknown channel throws instead of guessing one")
    func unknownChannelIsNotGuessed() async throws {
        let (log, _) = try await AuditChainTests.makeLog(events: 2)
        try await AuditChainTests.tamper(log, "UPDATE audit_event SET channel = 'elsewhere' WHERE seq = 2")
        await #expect(throws: AuditLogError.unreadableRecord(sequence: 2, column: "channel")) { try await log.records() }
    }
}
