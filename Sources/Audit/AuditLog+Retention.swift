import Foundation
import GRDB

/// What a pruning removed, signed like a checkpoint: events 1…`through` are gone from the log, and
/// `root`/`chainHead` are what they added up to. The chain continues from `chainHead`, and the pruned
/// events' Merkle leaf hashes (32 bytes each, no content) are kept so that every checkpoint and proof
/// over later events still computes.
public struct AuditPruning: Sendable, Hashable {
    public var through: Int64
    public var root: [UInt8]
    public var chainHead: [UInt8]
    /// The retention cut-off the pruning applied: every pruned event was recorded before it.
    public var cutoff: String
    public var created: String
    public var keyID: String
    public var signature: [UInt8]

    public static let format = "zorgnet-audit-pruning/1"

    var signedText: String {
        Self.signedText(through: through, root: root, chainHead: chainHead, cutoff: cutoff, created: created)
    }

    static func signedText(through: Int64, root: [UInt8], chainHead: [UInt8], cutoff: String, created: String) -> String {
        [format, String(through), Data(root).base64EncodedString(), Hex.encode(chainHead), cutoff, created].joined(separator: "\n") + "\n"
    }
}

extension AuditLog {
    /// Retention: pruned events leave a signed ``AuditPruning`` and their leaf hashes. Deleting an event
    /// is refused by the database unless a pruning record already covers it.
    static func registerRetentionMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: retention") { db in
            try db.execute(sql: """
                CREATE TABLE audit_pruning (
                    through     INTEGER PRIMARY KEY CHECK (through >= 1),
                    root        BLOB NOT NULL,
                    chain_head  BLOB NOT NULL,
                    cutoff      TEXT NOT NULL,
                    created     TEXT NOT NULL,
                    key_id      TEXT NOT NULL,
                    signature   BLOB NOT NULL
                ) STRICT;
                CREATE TABLE audit_pruned_leaf (
                    seq        INTEGER PRIMARY KEY,
                    leaf_hash  BLOB NOT NULL
                ) STRICT;
                CREATE TRIGGER audit_pruning_no_update BEFORE UPDATE ON audit_pruning
                BEGIN SELECT RAISE(ABORT, 'pruning records are never changed'); END;
                CREATE TRIGGER audit_pruning_no_delete BEFORE DELETE ON audit_pruning
                BEGIN SELECT RAISE(ABORT, 'pruning records are never deleted'); END;

                DROP TRIGGER audit_event_no_delete;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                WHEN OLD.seq > (SELECT COALESCE(MAX(through), 0) FROM audit_pruning)
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only; only events a signed pruning covers may go'); END;
                """)
        }
    }

    /// Removes the events older than `retention` before `date`, in whole checkpoint ranges: up to the
    /// largest signed checkpoint whose last event was recorded before the cut-off. Returns the signed
    /// record of what went, or nil when no checkpoint range is old enough yet.
    ///
    /// ```swift
    /// let pruned = try await log.prune(olderThan: .seconds(5 * 365 * 86_400), signedWith: key)
    /// ```
    @discardableResult
    public func prune(olderThan retention: Duration, at date: Date = Date(), signedWith key: AuditSigningKey) async throws -> AuditPruning? {
        guard !isReadOnly else { throw AuditLogError.readOnly(path: path) }
        let cutoff = AuditLog.timestamp(date.addingTimeInterval(-Double(retention.components.seconds)))
        return try await pool.write { db in
            let alreadyPruned = try Int64.fetchOne(db, sql: "SELECT MAX(through) FROM audit_pruning") ?? 0
            // Sequence order is time order, so the last old event bounds every earlier one.
            guard let lastOld = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_event WHERE recorded < ?", arguments: [cutoff]),
                let checkpoint = try Row.fetchOne(
                    db, sql: "SELECT * FROM audit_checkpoint WHERE size <= ? AND size > ? ORDER BY size DESC LIMIT 1",
                    arguments: [lastOld, alreadyPruned]
                ).map(AuditLog.checkpoint(from:))
            else { return nil }
            let through = checkpoint.size
            // One row at a time: a pruned range can be millions of events.
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event WHERE seq <= ? ORDER BY seq", arguments: [through])
            let keepLeaf = try db.makeStatement(sql: "INSERT INTO audit_pruned_leaf (seq, leaf_hash) VALUES (?, ?)")
            while let row = try rows.next() {
                try keepLeaf.execute(arguments: [row["seq"] as Int64, Data(try AuditLog.leafHash(row))])
            }
            let created = AuditLog.timestamp(date)
            let text = AuditPruning.signedText(
                through: through, root: checkpoint.root, chainHead: checkpoint.chainHead, cutoff: cutoff, created: created)
            let pruning = AuditPruning(
                through: through, root: checkpoint.root, chainHead: checkpoint.chainHead, cutoff: cutoff, created: created,
                keyID: key.keyID, signature: try key.sign(text))
            try db.execute(
                sql: """
                    INSERT INTO audit_pruning (through, root, chain_head, cutoff, created, key_id, signature)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [through, Data(pruning.root), Data(pruning.chainHead), cutoff, created, pruning.keyID, Data(pruning.signature)])
            try db.execute(sql: "DELETE FROM audit_event WHERE seq <= ?", arguments: [through])
            return pruning
        }
    }

    /// The pruning records, oldest first.
    public func prunings() async throws -> [AuditPruning] {
        try await pool.read { db in try AuditLog.prunings(db) }
    }

    static func prunings(_ db: Database) throws -> [AuditPruning] {
        // A log opened read-only before its retention migration has no such table: nothing was pruned.
        guard try db.tableExists("audit_pruning") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM audit_pruning ORDER BY through").map { row in
            AuditPruning(
                through: row["through"], root: [UInt8](row["root"] as Data), chainHead: [UInt8](row["chain_head"] as Data),
                cutoff: row["cutoff"], created: row["created"], keyID: row["key_id"], signature: [UInt8](row["signature"] as Data))
        }
    }

    /// The leaf hashes kept for pruned events, in order.
    static func prunedLeaves(_ db: Database, upTo size: Int64) throws -> [[UInt8]] {
        guard try db.tableExists("audit_pruned_leaf") else { return [] }
        return try Data.fetchAll(db, sql: "SELECT leaf_hash FROM audit_pruned_leaf WHERE seq <= ? ORDER BY seq", arguments: [size])
            .map { [UInt8]($0) }
    }
}
