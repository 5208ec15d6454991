import Crypto
import Foundation
import GRDB
import Testing

@testable import Audit

@Suite("Signed checkpoints, proofs and what they catch")
struct AuditCheckpointTests {
    static func key(in directory: String) throws -> AuditSigningKey {
        try AuditSigningKey.loadOrCreate(keyFile: directory + "/" + AuditSigningKey.defaultFileName)
    }

    static func append(_ log: AuditLog, count: Int, from first: Int) async throws {
        for index in first..<(first + count) {
            try await log.append(
                AuditEvent(
                    recorded: "2026-11-23T13:00:00.000Z", channel: .back, method: "GET", path: "/fhir/Condition/c-\(index)",
                    status: 200, partyID: "pgo-demo", partyKind: "app", patientID: "p1", entities: ["Condition/c-\(index)"]))
        }
    }

    @Test("the signing key is created 0600 with its public half beside it, and a key readable by others is refused")
    func signingKeyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zorgnet-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = try Self.key(in: directory)
        let file = directory + "/" + AuditSigningKey.defaultFileName
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        let publicHex = try String(contentsOfFile: file + ".pub", encoding: .utf8)
        #expect(try AuditSigningKey.publicKey(hex: publicHex).rawRepresentation == key.publicKey.rawRepresentation)
        #expect(try Self.key(in: directory).keyID == key.keyID, "the same key is read back")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: AuditSigningKeyError.keyFileTooOpen(path: file, mode: 0o644)) { try Self.key(in: directory) }
    }

    @Test("a checkpoint signs the Merkle root and chain head of every event so far; asking again without new events returns it")
    func checkpointContent() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 7)
        let key = try Self.key(in: directory)
        let checkpoint = try await log.makeCheckpoint(signedWith: key)
        #expect(checkpoint.size == 7)
        #expect(checkpoint.isSigned(by: try key.publicKey))
        let records = try await log.records()
        let leaves = records.map { MerkleTree.leafHash(CanonicalEncoding.bytes(sequence: $0.sequence, event: $0.event)) }
        #expect(checkpoint.root == MerkleTree.root(leaves))
        #expect(checkpoint.chainHead == records.last?.chainHash)
        #expect(try await log.makeCheckpoint(signedWith: key) == checkpoint)
        #expect(try await log.checkpoints() == [checkpoint])

        var edited = checkpoint
        edited.size = 6
        #expect(!edited.isSigned(by: try key.publicKey), "the signature covers the size")
        let otherKey = AuditSigningKey(privateKey: Curve25519.Signing.PrivateKey())
        #expect(!checkpoint.isSigned(by: try otherKey.publicKey))
    }

    @Test("every event has a valid inclusion proof against a checkpoint, and checkpoints are consistent with each other")
    func proofs() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 5)
        let key = try Self.key(in: directory)
        let first = try await log.makeCheckpoint(signedWith: key)
        try await Self.append(log, count: 8, from: 6)
        let second = try await log.makeCheckpoint(signedWith: key)
        #expect(second.size == 13)
        for sequence in Int64(1)...13 {
            let proof = try await log.inclusionProof(sequence: sequence, size: 13)
            #expect(proof.isValid)
            #expect(proof.root == second.root)
        }
        let early = try await log.inclusionProof(sequence: 3, size: 5)
        #expect(early.root == first.root && early.isValid)
        let consistency = try await log.consistencyProof(from: first.size, to: second.size)
        #expect(consistency.oldRoot == first.root && consistency.newRoot == second.root)
        #expect(consistency.isValid)
        await #expect(throws: AuditProofError.noSuchEvent(14, size: 13)) { try await log.inclusionProof(sequence: 14, size: 13) }
        await #expect(throws: AuditProofError.noSuchSize(20, available: 13)) { try await log.inclusionProof(sequence: 1, size: 20) }
    }

    @Test("a log cut back below a checkpoint held elsewhere is reported truncated at the first missing event")
    func truncation() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 9)
        let key = try Self.key(in: directory)
        let held = try await log.makeCheckpoint(signedWith: key)
        try await AuditChainTests.tamper(log, "DELETE FROM audit_event WHERE seq > 6")
        // The chain of 6 is consistent in itself; the stored checkpoint could be deleted too, so use the held copy.
        try await log.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER audit_checkpoint_no_delete; DELETE FROM audit_checkpoint")
        }
        #expect(try await log.verify().isIntact)
        #expect(try await log.verify(publicKey: try key.publicKey, held: [held]) == .broken(at: 7, reason: .truncated(checkpointSize: 9)))
    }

    @Test("a rewrite with every hash recomputed passes the chain but not the signed checkpoints, placed after the last matching one")
    func consistentRewrite() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 4)
        let key = try Self.key(in: directory)
        try await log.makeCheckpoint(signedWith: key)
        try await Self.append(log, count: 4, from: 5)
        try await log.makeCheckpoint(signedWith: key)

        // Event 6 gets another patient, and the chain from there on is recomputed as `append` would.
        try await AuditChainTests.tamper(log, "UPDATE audit_event SET patient_id = 'p2' WHERE seq = 6")
        try await log.pool.writeWithoutTransaction { db in
            var previous = try [UInt8](Data.fetchOne(db, sql: "SELECT chain_hash FROM audit_event WHERE seq = 5") ?? Data())
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE seq >= 6 ORDER BY seq") {
                let sequence: Int64 = row["seq"]
                let chain = AuditLog.chainHash(
                    previous: previous, canonical: CanonicalEncoding.bytes(sequence: sequence, event: try AuditLog.event(from: row)))
                try db.execute(
                    sql: "UPDATE audit_event SET prev_hash = ?, chain_hash = ? WHERE seq = ?",
                    arguments: [Data(previous), Data(chain), sequence])
                previous = chain
            }
        }
        #expect(try await log.verify().isIntact, "the chain alone cannot tell")
        #expect(try await log.verify(publicKey: try key.publicKey) == .broken(at: 5, reason: .checkpointMismatch(checkpointSize: 8)))
    }

    @Test("a checkpoint edited in the database no longer verifies with the audit key")
    func forgedCheckpoint() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 3)
        let key = try Self.key(in: directory)
        try await log.makeCheckpoint(signedWith: key)
        try await log.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER audit_checkpoint_no_update; UPDATE audit_checkpoint SET root = zeroblob(32)")
        }
        #expect(try await log.verify(publicKey: try key.publicKey) == .broken(at: 3, reason: .checkpointSignatureInvalid(size: 3)))
    }

    @Test("an intact log with checkpoints verifies as intact")
    func intact() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 6)
        let key = try Self.key(in: directory)
        let held = try await log.makeCheckpoint(signedWith: key)
        try await Self.append(log, count: 3, from: 7)
        try await log.makeCheckpoint(signedWith: key)
        let verification = try await log.verify(publicKey: try key.publicKey, held: [held])
        #expect(verification.isIntact, "\(verification)")
    }
    /// The RFC 6962 root over every event now in the log, hashed from scratch.
    static func rootOfWholeLog(_ log: AuditLog) async throws -> [UInt8] {
        MerkleTree.root(try await log.records().map { MerkleTree.leafHash(CanonicalEncoding.bytes(sequence: $0.sequence, event: $0.event)) })
    }

    @Test("checkpoints that go on from the previous one, and from a reopened log, sign the root of the whole log", arguments: [1, 2, 3, 5, 8])
    func incrementalCheckpoints(batch: Int) async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 1)
        let key = try Self.key(in: directory)
        var appended = 1
        for _ in 0..<6 {
            let checkpoint = try await log.makeCheckpoint(signedWith: key)
            #expect(checkpoint.size == Int64(appended))
            #expect(checkpoint.root == (try await Self.rootOfWholeLog(log)))
            #expect(checkpoint.chainHead == (try await log.records().last?.chainHash))
            try await Self.append(log, count: batch, from: appended + 1)
            appended += batch
        }
        // A new log value (a restart) starts from nothing and streams the whole log once.
        let reopened = try AuditLog(path: log.path)
        try await Self.append(reopened, count: batch, from: appended + 1)
        let checkpoint = try await reopened.makeCheckpoint(signedWith: key)
        #expect(checkpoint.size == Int64(appended + batch))
        #expect(checkpoint.root == (try await Self.rootOfWholeLog(reopened)))
        #expect(try await reopened.verify(publicKey: try key.publicKey).isIntact)
    }

    @Test("an event altered after a checkpoint hashed it does not get into the next signed root, and verify names it")
    func alteredEventStaysOutOfLaterCheckpoints() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 4)
        let key = try Self.key(in: directory)
        try await log.makeCheckpoint(signedWith: key)
        try await Self.append(log, count: 2, from: 5)
        let honestRoot = try await Self.rootOfWholeLog(log)

        try await AuditChainTests.tamper(log, "UPDATE audit_event SET patient_id = 'p2' WHERE seq = 2")
        let later = try await log.makeCheckpoint(signedWith: key)
        #expect(later.size == 6)
        #expect(later.root == honestRoot, "the root covers event 2 as it was when first hashed")
        #expect(later.root != (try await Self.rootOfWholeLog(log)))
        #expect(try await log.verify(publicKey: try key.publicKey).isIntact == false)
    }

    @Test("no checkpoint is signed over a log with an event missing from its sequence")
    func gapRefusesCheckpoint() async throws {
        let (log, directory) = try await AuditChainTests.makeLog(events: 5)
        let key = try Self.key(in: directory)
        try await AuditChainTests.tamper(log, "DELETE FROM audit_event WHERE seq = 3")
        await #expect(throws: AuditLogError.sequenceGap(expected: 3, found: 4)) {
            try await log.makeCheckpoint(signedWith: key)
        }
        #expect(try await log.checkpoints().isEmpty)
    }

    @Test("a checkpoint after a pruning goes on from the pruned events' kept leaves, in the same and in a reopened log")
    func checkpointAfterPruning() async throws {
        let (log, key) = try await AuditRetentionTests.makeLog(events: 12, checkpointEvery: 4)
        let now = AuditRetentionTests.start.addingTimeInterval(19 * AuditRetentionTests.day + 3600)
        #expect(try await log.prune(olderThan: .seconds(10 * 86_400), at: now, signedWith: key)?.through == 8)
        try await Self.append(log, count: 3, from: 13)
        let reopened = try AuditLog(path: log.path)
        for value in [log, reopened] {
            let checkpoint = try await value.makeCheckpoint(signedWith: key)
            #expect(checkpoint.size == 15)
            #expect(checkpoint.chainHead == (try await value.records().last?.chainHash))
            #expect(checkpoint.root == (try await value.consistencyProof(from: 12, to: 15).newRoot))
        }
        #expect(try await reopened.verify(publicKey: try key.publicKey).isIntact)
    }
}
