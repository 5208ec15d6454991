import Foundation
import GRDB
import Testing

@testable import Audit

/// Retention with a clock the test moves: old checkpoint ranges go, a signed record of the pruning
/// stays, and the rest still verifies and proves.
@Suite("Audit retention")
struct AuditRetentionTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_700_000_000)   // 2023-11-14

    /// A log with `count` events, one a day from `start`, and a checkpoint after every `every` events.
    static func makeLog(events count: Int, checkpointEvery every: Int) async throws -> (AuditLog, AuditSigningKey) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-retention-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let log = try AuditLog(path: directory + "/audit.sqlite")
        let key = try AuditSigningKey.loadOrCreate(keyFile: directory + "/audit-signing.key")
        for index in 1...count {
            let when = start.addingTimeInterval(Double(index) * day)
            try await log.append(
                AuditEvent(
                    recorded: AuditLog.timestamp(when), channel: .back, method: "GET", path: "/fhir/Condition/c\(index)", status: 200,
                    partyID: "pgo-demo", patientID: "p1", entities: ["Condition/c\(index)"], kind: .read))
            if index % every == 0 { try await log.makeCheckpoint(signedWith: key, at: when) }
        }
        return (log, key)
    }

    @Test("nothing is pruned while no whole checkpoint range is older than the retention")
    func nothingOldEnough() async throws {
        let (log, key) = try await Self.makeLog(events: 10, checkpointEvery: 5)
        let now = Self.start.addingTimeInterval(20 * Self.day)
        #expect(try await log.prune(olderThan: .seconds(30 * 86_400), at: now, signedWith: key) == nil)
        #expect(try await log.count() == 10)
    }

    @Test("pruning removes whole checkpoint ranges before the cut-off, leaves a signed record, and the rest verifies and proves")
    func pruneWholeRanges() async throws {
        let (log, key) = try await Self.makeLog(events: 12, checkpointEvery: 4)
        // At day 19 with 10 days' retention the cut-off is day 9: events 1–8 are old, event 9 is not;
        // the largest checkpoint range that is all old ends at 8.
        let now = Self.start.addingTimeInterval(19 * Self.day + 3600)
        let pruning = try #require(try await log.prune(olderThan: .seconds(10 * 86_400), at: now, signedWith: key))
        #expect(pruning.through == 8)
        #expect(try await log.count() == 4)
        #expect(try await log.records().first?.sequence == 9)

        let verification = try await log.verify(publicKey: try key.publicKey)
        #expect(verification == .intact(count: 12, head: try #require(try await log.records().last?.chainHash)))
        // A checkpoint over pruned and kept events still computes, and a kept event still proves.
        let proof = try await log.inclusionProof(sequence: 10, size: 12)
        #expect(proof.isValid)
        #expect(proof.root == (try await log.checkpoints().last?.root))
        // A second pruning at the same moment finds nothing new.
        #expect(try await log.prune(olderThan: .seconds(10 * 86_400), at: now, signedWith: key) == nil)
    }

    @Test("events not covered by a signed pruning cannot be deleted, and a forged pruning is caught")
    func forgedPruning() async throws {
        let (log, key) = try await Self.makeLog(events: 8, checkpointEvery: 4)
        await #expect(throws: DatabaseError.self) {
            try await log.pool.write { db in try db.execute(sql: "DELETE FROM audit_event WHERE seq <= 4") }
        }
        // Someone with file access writes their own pruning record to make the deletion pass.
        try await log.pool.write { db in
            try db.execute(
                sql: "INSERT INTO audit_pruning VALUES (4, zeroblob(32), (SELECT chain_hash FROM audit_event WHERE seq = 4), 'x', 'x', 'x', zeroblob(64))")
            try db.execute(sql: "DELETE FROM audit_event WHERE seq <= 4")
        }
        #expect(try await log.verify().isIntact, "the chain alone trusts the pruning record")
        #expect(try await log.verify(publicKey: try key.publicKey) == .broken(at: 4, reason: .pruningInvalid(through: 4)))
    }
}
