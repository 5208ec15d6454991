import Foundation
import GRDB

extension AuditLog {
    /// Signed checkpoints over the log (``AuditCheckpoint``), made by ``makeCheckpoint(signedWith:at:)``.
    static func registerCheckpointMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: signed checkpoints") { db in
            try db.execute(sql: """
                CREATE TABLE audit_checkpoint (
                    size        INTEGER PRIMARY KEY CHECK (size >= 0),
                    root        BLOB NOT NULL,
                    chain_head  BLOB NOT NULL,
                    created     TEXT NOT NULL,
                    key_id      TEXT NOT NULL,
                    signature   BLOB NOT NULL
                ) STRICT;
                CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
                BEGIN SELECT RAISE(ABORT, 'checkpoints are never changed'); END;
                CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
                BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END;
                """)
        }
    }

    /// Signs the log as it stands: the Merkle root and chain head over every event so far. Returns the
    /// checkpoint already stored when nothing was appended since.
    ///
    /// Only the events after the previous checkpoint of this log value are read: the Merkle frontier
    /// and chain head it ended with are kept (``CheckpointProgress``), and the first checkpoint after
    /// opening streams the log once. Memory stays O(log n) however large the log grows, and an event
    /// altered in the database after it was hashed cannot slip into a later signed root: that root is
    /// computed from the hashes as first read.
    @discardableResult
    public func makeCheckpoint(signedWith key: AuditSigningKey, at date: Date = Date()) async throws -> AuditCheckpoint {
        guard !isReadOnly else { throw AuditLogError.readOnly(path: path) }
        // Read from one snapshot and hashed outside the write lock: events 1…size never change once
        // written, so appends carry on while a large log is hashed.
        let previous = checkpointProgress.current
        let (progress, existing) = try await pool.read { db in
            let progress = try AuditLog.progress(db, after: previous)
            return (progress, try AuditLog.checkpoint(db, size: Int64(progress.frontier.count)))
        }
        checkpointProgress.advance(to: progress)
        if let existing { return existing }
        let size = Int64(progress.frontier.count)
        let root = progress.frontier.root
        let head = progress.chainHead
        let created = AuditLog.timestamp(date)
        let text = AuditCheckpoint.signedText(size: size, root: root, chainHead: head, created: created)
        let checkpoint = AuditCheckpoint(
            size: size, root: root, chainHead: head, created: created, keyID: key.keyID, signature: try key.sign(text))
        return try await pool.write { db in
            // Another process (`zorgnet audit checkpoint`) may have signed this size meanwhile: keep the first.
            try db.execute(
                sql: "INSERT OR IGNORE INTO audit_checkpoint (size, root, chain_head, created, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [size, Data(root), Data(head), created, checkpoint.keyID, Data(checkpoint.signature)])
            return try AuditLog.checkpoint(db, size: size) ?? checkpoint
        }
    }

    /// `previous` carried on over every leaf after it: pruned events' kept leaf hashes first, then the
    /// stored events, one row at a time.
    static func progress(_ db: Database, after previous: CheckpointProgress.State?) throws -> CheckpointProgress.State {
        var frontier = previous?.frontier ?? MerkleTree.Frontier()
        var head = previous?.chainHead ?? genesisHash
        if try db.tableExists("audit_pruned_leaf") {
            let leaves = try Row.fetchCursor(
                db, sql: "SELECT seq, leaf_hash FROM audit_pruned_leaf WHERE seq > ? ORDER BY seq", arguments: [frontier.count])
            while let row = try leaves.next() {
                try expect(row["seq"], after: frontier)
                frontier.append([UInt8](row["leaf_hash"] as Data))
            }
            // The chain goes on from the head of the pruning that ends at the last pruned leaf.
            if let pruning = try prunings(db).last, pruning.through == Int64(frontier.count) { head = pruning.chainHead }
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event WHERE seq > ? ORDER BY seq", arguments: [frontier.count])
        while let row = try rows.next() {
            try expect(row["seq"], after: frontier)
            frontier.append(try leafHash(row))
            head = [UInt8](row["chain_hash"] as Data)
        }
        return CheckpointProgress.State(frontier: frontier, chainHead: head)
    }

    private static func expect(_ sequence: Int64, after frontier: MerkleTree.Frontier) throws {
        let expected = Int64(frontier.count) + 1
        guard sequence == expected else { throw AuditLogError.sequenceGap(expected: expected, found: sequence) }
    }

    /// Every stored checkpoint, oldest (smallest) first.
    public func checkpoints() async throws -> [AuditCheckpoint] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_checkpoint ORDER BY size").map(AuditLog.checkpoint(from:))
        }
    }

    /// Proof that event `sequence` is among the first `size` events: its leaf hash, the audit path, and
    /// the root it leads to (compare that root with a signed checkpoint of `size`).
    public func inclusionProof(sequence: Int64, size: Int64) async throws -> InclusionProof {
        try await pool.read { db in
            let (leaves, _) = try AuditLog.leaves(db, upTo: size)
            guard size >= 1, Int64(leaves.count) == size else { throw AuditProofError.noSuchSize(size, available: Int64(leaves.count)) }
            guard sequence >= 1, sequence <= size else { throw AuditProofError.noSuchEvent(sequence, size: size) }
            let index = Int(sequence - 1)
            return InclusionProof(
                sequence: sequence, size: size, leaf: leaves[index], path: MerkleTree.inclusionProof(index: index, leaves: leaves),
                root: MerkleTree.root(leaves))
        }
    }

    /// Proof that the first `newSize` events extend the first `oldSize` unchanged.
    public func consistencyProof(from oldSize: Int64, to newSize: Int64) async throws -> ConsistencyProof {
        try await pool.read { db in
            let (leaves, _) = try AuditLog.leaves(db, upTo: newSize)
            guard Int64(leaves.count) == newSize else { throw AuditProofError.noSuchSize(newSize, available: Int64(leaves.count)) }
            guard oldSize >= 0, oldSize <= newSize else { throw AuditProofError.noSuchSize(oldSize, available: newSize) }
            return ConsistencyProof(
                oldSize: oldSize, oldRoot: MerkleTree.root(Array(leaves.prefix(Int(oldSize)))), newSize: newSize,
                newRoot: MerkleTree.root(leaves), path: MerkleTree.consistencyProof(oldSize: Int(oldSize), leaves: leaves))
        }
    }

    /// The leaf hashes of events 1…`size` (or all), and the chain head after the last of them.
    static func leaves(_ db: Database, upTo size: Int64) throws -> (leaves: [[UInt8]], head: [UInt8]) {
        // Pruned events live on as their leaf hashes, and the chain goes on from the pruning's head.
        var leaves = try prunedLeaves(db, upTo: size)
        var head = try prunings(db).last { $0.through <= size }?.chainHead ?? genesisHash
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event WHERE seq <= ? ORDER BY seq", arguments: [size])
        while let row = try rows.next() {
            leaves.append(try leafHash(row))
            head = [UInt8](row["chain_hash"] as Data)
        }
        return (leaves, head)
    }

    /// An event's Merkle leaf: its canonical encoding, the same bytes its chain hash covers.
    static func leafHash(_ row: Row) throws -> [UInt8] {
        MerkleTree.leafHash(CanonicalEncoding.bytes(sequence: row["seq"], event: try event(from: row)))
    }

    static func checkpoint(_ db: Database, size: Int64) throws -> AuditCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT * FROM audit_checkpoint WHERE size = ?", arguments: [size]).map(checkpoint(from:))
    }

    static func checkpoint(from row: Row) -> AuditCheckpoint {
        AuditCheckpoint(
            size: row["size"], root: [UInt8](row["root"] as Data), chainHead: [UInt8](row["chain_head"] as Data),
            created: row["created"], keyID: row["key_id"], signature: [UInt8](row["signature"] as Data))
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}

/// An event's place in a signed tree: recompute the root from `leaf` and `path` and compare.
public struct InclusionProof: Sendable, Hashable {
    public var sequence: Int64
    public var size: Int64
    public var leaf: [UInt8]
    public var path: [[UInt8]]
    public var root: [UInt8]

    public var isValid: Bool {
        MerkleTree.verifyInclusion(leaf: leaf, index: Int(sequence - 1), size: Int(size), proof: path, root: root)
    }
}

/// That a later tree extends an earlier one unchanged.
public struct ConsistencyProof: Sendable, Hashable {
    public var oldSize: Int64
    public var oldRoot: [UInt8]
    public var newSize: Int64
    public var newRoot: [UInt8]
    public var path: [[UInt8]]

    public var isValid: Bool {
        MerkleTree.verifyConsistency(oldSize: Int(oldSize), oldRoot: oldRoot, newSize: Int(newSize), newRoot: newRoot, proof: path)
    }
}

public enum AuditProofError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchSize(Int64, available: Int64)
    case noSuchEvent(Int64, size: Int64)

    public var description: String {
        switch self {
        case .noSuchSize(let size, let available): "the log has \(available) events, not \(size)"
        case .noSuchEvent(let sequence, let size): "event \(sequence) is not among the first \(size)"
        }
    }
}
