import Crypto
import Foundation
import GRDB

/// The audit log, `audit.sqlite` under the data directory: append-only, hash-chained.
///
/// Kept apart from the clinical database so that retention, backups and access differ. Every append
/// commits with `synchronous = FULL` before it returns: the caller sends its response only after
/// that, so nothing is disclosed that was not logged first.
///
/// ```swift
/// let log = try AuditLog(path: "/var/lib/zorgnet/audit.sqlite")
/// let record = try await log.append(event)
/// let report = try await log.verify()   // .intact(count:) or .broken(at:reason:)
/// ```
///
/// Tools that only inspect the log open it with ``init(readingAt:)`` instead, which never creates,
/// migrates or writes the file.
public struct AuditLog: Sendable {
    let pool: DatabasePool
    public let path: String
    /// Opened with ``init(readingAt:)``: appends are refused and closing does not checkpoint.
    public let isReadOnly: Bool
    /// Shared by every copy of this log value, so concurrent appends group into one transaction.
    let groupCommit = AuditGroupCommit()
    /// Where the last checkpoint this process made left off, so the next hashes only what came after.
    let checkpointProgress = CheckpointProgress()

    /// Opens the log for appending, creating and migrating the file when needed.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "audit"
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try AuditLog.migrator.migrate(pool)
        // DatabasePool sets NORMAL while opening in WAL mode; audit records must survive power loss.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.pool = pool
        self.path = path
        self.isReadOnly = false
    }

    init(readOnlyPool pool: DatabasePool, path: String) {
        self.pool = pool
        self.path = path
        self.isReadOnly = true
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit events") { db in
            try db.execute(sql: """
                CREATE TABLE audit_event (
                    seq                 INTEGER PRIMARY KEY,
                    recorded            TEXT NOT NULL,
                    channel             TEXT NOT NULL,
                    method              TEXT NOT NULL,
                    path                TEXT NOT NULL,
                    status              INTEGER NOT NULL,
                    party_id            TEXT,
                    party_kind          TEXT,
                    certificate_sha256  TEXT,
                    patient_id          TEXT,
                    entities            TEXT NOT NULL,
                    client_address      TEXT,
                    request_id          TEXT,
                    correlation_id      TEXT,
                    detail              TEXT,
                    prev_hash           BLOB NOT NULL,
                    chain_hash          BLOB NOT NULL
                ) STRICT;
                CREATE INDEX audit_event_by_patient ON audit_event (patient_id, recorded);
                CREATE INDEX audit_event_by_party ON audit_event (party_id, recorded);
                CREATE INDEX audit_event_by_time ON audit_event (recorded);

                -- A guard rail against casual edits, not the protection: that is the hash chain.
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        // Consent decisions (encoding `zorgnet-audit-2`). A new nullable column: rows written before it
        // keep NULL there and keep hashing in the original encoding.
        migrator.registerMigration("v2: consent decisions") { db in
            try db.execute(sql: "ALTER TABLE audit_event ADD COLUMN decision TEXT")
        }
        registerCheckpointMigrations(&migrator)
        // Event kinds and the acting person (encoding `zorgnet-audit-3`); older rows keep NULL.
        migrator.registerMigration("v4: event kinds and users") { db in
            try db.execute(sql: """
                ALTER TABLE audit_event ADD COLUMN kind TEXT;
                ALTER TABLE audit_event ADD COLUMN user_id TEXT;
                CREATE INDEX audit_event_by_kind ON audit_event (kind, recorded);
                """)
        }
        registerRetentionMigrations(&migrator)
        return migrator
    }

    static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// Appends one event and returns it as recorded, after the commit is durable. Appends made at the
    /// same time share one transaction (``AuditGroupCommit``); each still returns only once its own
    /// event is committed.
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditRecord {
        guard !isReadOnly else { throw AuditLogError.readOnly(path: path) }
        return try await groupCommit.append(event) { events in try await self.write(events) }
    }

    /// Writes events in order in one transaction, each chained to the one before.
    func write(_ events: [AuditEvent]) async throws -> [AuditRecord] {
        try await pool.write { db in
            // Every request appends: the fixed statements are prepared once on the writer connection.
            let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, chain_hash FROM audit_event ORDER BY seq DESC LIMIT 1"))
            var sequence: Int64 = head?["seq"] ?? 0
            var previous: [UInt8] = (head?["chain_hash"] as Data?).map { [UInt8]($0) } ?? AuditLog.genesisHash
            if sequence == 0, let pruned = try AuditLog.prunings(db).last {
                // Everything was pruned: the chain goes on from the pruning's end.
                sequence = pruned.through
                previous = pruned.chainHead
            }
            var records: [AuditRecord] = []
            for event in events {
                sequence += 1
                let record = try AuditLog.insert(event, sequence: sequence, previous: previous, in: db)
                records.append(record)
                previous = record.chainHash
            }
            return records
        }
    }

    private static func insert(_ event: AuditEvent, sequence: Int64, previous: [UInt8], in db: Database) throws -> AuditRecord {
        let chain = AuditLog.chainHash(previous: previous, canonical: CanonicalEncoding.bytes(sequence: sequence, event: event))
        try db.cachedStatement(sql: insertSQL).execute(
            arguments: [
                sequence, event.recorded, event.channel.rawValue, event.method, event.path, event.status,
                event.partyID, event.partyKind, event.certificateFingerprint, event.patientID,
                AuditLog.encodeEntities(event.entities), event.clientAddress, event.requestID,
                event.correlationID, event.detail, event.decision.map(CanonicalEncoding.decisionJSON),
                event.kind?.rawValue, event.userID, Data(previous), Data(chain),
            ])
        return AuditRecord(sequence: sequence, event: event, previousHash: previous, chainHash: chain)
    }

    private static let insertSQL = """
        INSERT INTO audit_event (seq, recorded, channel, method, path, status, party_id, party_kind,
            certificate_sha256, patient_id, entities, client_address, request_id, correlation_id, detail,
            decision, kind, user_id, prev_hash, chain_hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The number of records in the log.
    public func count() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event") ?? 0 }
    }

    /// Records in sequence order, for tests and tools. Throws ``AuditLogError/unreadableRecord(sequence:column:)``
    /// for a record whose stored values no longer decode (use ``verify()`` to judge a damaged log).
    public func records(from sequence: Int64 = 1, limit: Int = 1000) async throws -> [AuditRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_event WHERE seq >= ? ORDER BY seq LIMIT ?", arguments: [sequence, limit]
            ).map { try AuditLog.record(from: $0) }
        }
    }

    /// Closes every connection; a writable log first folds its WAL into the main file, so a stopped
    /// gateway leaves one self-contained file behind.
    public func close() throws {
        if !isReadOnly {
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        }
        try pool.close()
    }

    static func chainHash(previous: [UInt8], canonical: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: canonical)
        return Array(hasher.finalize())
    }

    /// Entities as a JSON array of strings, so the column stays one value and readable in SQL.
    static func encodeEntities(_ entities: [String]) -> String {
        String(decoding: CanonicalEncoding.entitiesJSON(entities), as: UTF8.self)
    }

    static func record(from row: Row) throws -> AuditRecord {
        let previous: Data = row["prev_hash"]
        let chain: Data = row["chain_hash"]
        return AuditRecord(
            sequence: row["seq"], event: try event(from: row), previousHash: [UInt8](previous), chainHash: [UInt8](chain))
    }

    /// The event of a stored row. An unknown channel is an error rather than a default: mapping it to
    /// some valid channel would make an edited row hash like the original and verify as intact.
    static func event(from row: Row) throws -> AuditEvent {
        let channelText: String = row["channel"]
        guard let channel = AuditEvent.Channel(rawValue: channelText) else {
            throw AuditLogError.unreadableRecord(sequence: row["seq"], column: "channel")
        }
        let entitiesText: String = row["entities"]
        // Logs opened read-only before their `v2` migration have no decision column: GRDB reads nil.
        var decision: ConsentDecisionRecord?
        if let decisionText = row["decision"] as String? {
            guard let decoded = CanonicalEncoding.decodeDecision(decisionText) else {
                throw AuditLogError.unreadableRecord(sequence: row["seq"], column: "decision")
            }
            decision = decoded
        }
        // Like the channel: an unknown kind is an edit, not something to map to a valid one.
        var kind: AuditEventKind?
        if let kindText = row["kind"] as String? {
            guard let known = AuditEventKind(rawValue: kindText) else {
                throw AuditLogError.unreadableRecord(sequence: row["seq"], column: "kind")
            }
            kind = known
        }
        return AuditEvent(
            recorded: row["recorded"],
            channel: channel,
            method: row["method"], path: row["path"], status: row["status"],
            partyID: row["party_id"], partyKind: row["party_kind"], certificateFingerprint: row["certificate_sha256"],
            patientID: row["patient_id"], entities: CanonicalEncoding.decodeEntities(entitiesText),
            clientAddress: row["client_address"], requestID: row["request_id"], correlationID: row["correlation_id"],
            detail: row["detail"], decision: decision, kind: kind, userID: row["user_id"])
    }
}
