import FHIR
import Foundation
import GRDB

/// Pushed transaction Bundles: the all-or-nothing write of one push, its idempotency and its
/// provenance (`pushed_bundle`, see ``GatewayDatabase/registerPushMigrations(_:)``).
///
/// ```swift
/// let pushes = PushStore(repository: ResourceRepository(database: database))
/// switch try await pushes.commit(commit) {
/// case .committed(let receipt), .replayed(let receipt): send(receipt.response)
/// }
/// ```
public struct PushStore: Sendable {
    public let repository: ResourceRepository

    public init(repository: ResourceRepository) {
        self.repository = repository
    }

    var database: GatewayDatabase { repository.database }

    /// The patient records (Patient ids of imported PZCs) whose BSN is `bsn`. More than one means the
    /// BSN does not name one record, which a caller must treat like none.
    public func patientIDs(bsn: String) async throws -> [String] {
        try await database.pool.read { db in
            try String.fetchAll(db, sql: Self.patientsByBSN, arguments: [bsn])
        }
    }

    /// Read through `pzc_by_bsn`: never a scan of every imported PZC.
    static let patientsByBSN = "SELECT DISTINCT patient_resource_id FROM pzc WHERE bsn = ? ORDER BY 1"

    /// The kept push of `partyID` under `identifier`, if any (outside a transaction: a fast path for
    /// retries; ``commit(_:at:)`` looks again inside its transaction).
    public func receipt(partyID: String, identifier: PushIdentifier) async throws -> (receipt: PushReceipt, bundle: FHIRResource?)? {
        try await database.pool.read { db in try Self.kept(db, partyID: partyID, identifier: identifier) }
    }

    /// Stores one push in one write transaction, or nothing:
    ///
    /// 1. a push of this party under this identifier already kept: the same Bundle is a retry
    ///    (``PushCommitResult/replayed(_:)``), a different one ``PushCommitError/identifierReused(_:)``;
    /// 2. conditional creates are searched (within the patient's record, or among all resources of the
    ///    shared types, see ``conditionalScope(for:patientID:)``); a single match replaces its entry and
    ///    every reference to it;
    /// 3. every remaining entry is stored as version 1, in the patient's compartment (or, for shared
    ///    types such as Organization, in none);
    /// 4. the Provenance is stored, then the Bundle with its response in `pushed_bundle`.
    ///
    /// A throw anywhere rolls all of it back.
    ///
    /// Concurrent pushes queue for the one writer, so the work that need not hold it is done first:
    /// the conditional creates are searched in a read, and the entries' index rows, references and
    /// compartments computed from that outcome. Inside the transaction the searches run again; only
    /// when a push committed in between changed their outcome are the entries prepared anew there.
    public func commit(_ push: PushCommit, at date: Date = Date()) async throws -> PushCommitResult {
        let millis = Instant.milliseconds(date)
        let lastUpdated = Instant.format(milliseconds: millis)
        let repository = repository
        let expected = try? await database.pool.read { db in try Self.resolveConditionals(db, push) }
        let preparedAhead = expected.map { resolution in
            Result { try Self.prepare(resolution.remaining, remap: resolution.remap, for: push, repository: repository) }
        }
        return try await database.pool.write { db in
            if let (kept, bundle) = try Self.kept(db, partyID: push.partyID, identifier: push.identifier) {
                guard bundle == push.bundle else { throw PushCommitError.identifierReused(push.identifier) }
                return .replayed(kept)
            }

            // Conditional creates first: their matches decide what the other entries refer to.
            let resolution = try Self.resolveConditionals(db, push)
            let prepared: [(PushEntry, PreparedWrite)]
            if let preparedAhead, expected?.remap == resolution.remap {
                prepared = try preparedAhead.get()
            } else {
                prepared = try Self.prepare(resolution.remaining, remap: resolution.remap, for: push, repository: repository)
            }

            var outcomes = resolution.matched
            var created: [StoredResource] = []
            for (entry, write) in prepared {
                guard case .created(let stored) = try write.write(db, lastUpdated: lastUpdated, millis: millis, skipUnchanged: false)
                else { throw PushCommitError.idTaken(bundleIndex: entry.bundleIndex) }
                created.append(stored)
                outcomes.append(.created(bundleIndex: entry.bundleIndex, stored))
            }
            outcomes.sort { $0.bundleIndex < $1.bundleIndex }

            let provenanceResource = push.provenance(outcomes)
            let provenanceWrite = PreparedWrite(
                incoming: .produced(provenanceResource),
                indexer: repository.indexer, references: repository.references)
            guard provenanceWrite.compartment == [push.patientID],
                  case .created(let provenance) = try provenanceWrite.write(db, lastUpdated: lastUpdated, millis: millis, skipUnchanged: false)
            else { throw PushCommitError.provenanceOutsideRecord }

            let response = push.response(outcomes, provenance)
            let pushID = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT INTO pushed_bundle (push_id, party_id, identifier_system, identifier_value, patient_id, received_at_ms,
                        bundle_format, bundle_bytes, response_format, response_bytes, provenance_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    pushID, push.partyID, push.identifier.system, push.identifier.value, push.patientID, millis,
                    push.bundleFormat.rawValue, Data(push.bundleBytes), response.format.rawValue, Data(response.bytes), provenance.id,
                ])
            return .committed(PushReceipt(
                pushID: pushID, partyID: push.partyID, identifier: push.identifier, patientID: push.patientID, response: response,
                provenanceID: provenance.id, created: created.map { "\($0.reference)/_history/\($0.version)" }))
        }
    }

    /// What the conditional creates of a push found: the entries they matched, how references to those
    /// entries are to be rewritten, and the entries still to be stored.
    struct ConditionalResolution {
        var matched: [PushEntryOutcome] = []
        var remap: [String: String] = [:]
        var remaining: [PushEntry] = []
    }

    static func resolveConditionals(_ db: Database, _ push: PushCommit) throws -> ConditionalResolution {
        var resolution = ConditionalResolution()
        for entry in push.entries {
            guard let query = entry.ifNoneExist else {
                resolution.remaining.append(entry)
                continue
            }
            let scope = conditionalScope(for: entry.incoming.resource.resourceType, patientID: push.patientID)
            switch try match(db, query, scope: scope) {
            case .none:
                resolution.remaining.append(entry)
            case .one(let match):
                resolution.matched.append(.matched(bundleIndex: entry.bundleIndex, match))
                resolution.remap[entry.reference] = match.reference
            case .several(let count):
                throw PushCommitError.conditionalMatchesSeveral(bundleIndex: entry.bundleIndex, count: count)
            }
        }
        return resolution
    }

    /// The writes of the entries to store, their references rewritten to the conditional matches;
    /// throws for an entry that would land outside the patient's record.
    static func prepare(_ entries: [PushEntry], remap: [String: String], for push: PushCommit, repository: ResourceRepository) throws
        -> [(PushEntry, PreparedWrite)]
    {
        let rewriter = PushReferenceRewriter(remap)
        return try entries.map { entry in
            var incoming = entry.incoming
            incoming.resource = rewriter.rewrite(incoming.resource)
            let prepared = PreparedWrite(incoming: incoming, indexer: repository.indexer, references: repository.references)
            guard fits(prepared, patientID: push.patientID) else {
                throw PushCommitError.compartmentMismatch(bundleIndex: entry.bundleIndex)
            }
            return (entry, prepared)
        }
    }

    /// Where a conditional create of `type` looks: resources of the shared types (organisations,
    /// practitioners, medications…) are one per real thing whoever's record refers to them, so among
    /// all of them; everything else only within the patient's own record, so that a push can never
    /// find, or link to, another patient's data.
    public static func conditionalScope(for type: String, patientID: String) -> AccessScope {
        Visibility.sharedTypes.contains(type) ? .everything : .patient(id: patientID)
    }

    /// Whether a resource lands where a push may put it: in the patient's compartment only, or, for
    /// a shared type, in no compartment at all.
    static func fits(_ prepared: PreparedWrite, patientID: String) -> Bool {
        if prepared.compartment.isEmpty { return Visibility.sharedTypes.contains(prepared.type) }
        return prepared.compartment == [patientID]
    }

    enum ConditionalMatch {
        case none
        case one(StoredResource)
        case several(Int)
    }

    static func match(_ db: Database, _ query: SearchQuery, scope: AccessScope) throws -> ConditionalMatch {
        // Two rows are enough to tell "one" from "several"; the count is only for the message.
        let statement = try SearchStatement(query: query, scope: scope, snapshotMilliseconds: .max, after: nil, limit: 2)
        let rows = try Row.fetchAll(db.searchStatement(statement.sql), arguments: statement.arguments)
        switch rows.count {
        case 0: return .none
        case 1: return .one(StoredResource(type: rows[0]["type"], id: rows[0]["id"], row: rows[0]))
        default: return .several(try Int.fetchOne(db.searchStatement(statement.countSQL), arguments: statement.countArguments) ?? rows.count)
        }
    }

    static func kept(_ db: Database, partyID: String, identifier: PushIdentifier) throws -> (PushReceipt, FHIRResource?)? {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT push_id, patient_id, bundle_format, bundle_bytes, response_format, response_bytes, provenance_id
                FROM pushed_bundle WHERE party_id = ? AND identifier_system = ? AND identifier_value = ?
                """,
            arguments: [partyID, identifier.system, identifier.value])
        else { return nil }
        let bundleBytes: Data = row["bundle_bytes"]
        let responseBytes: Data = row["response_bytes"]
        let bundleFormat = FHIRFormat(rawValue: row["bundle_format"]) ?? .json
        let responseFormat = FHIRFormat(rawValue: row["response_format"]) ?? .json
        // Kept bytes were parsed once already; should they ever fail to parse, no retry can match them.
        let bundle = try? bundleFormat.parseResource([UInt8](bundleBytes))
        let receipt = PushReceipt(
            pushID: row["push_id"], partyID: partyID, identifier: identifier, patientID: row["patient_id"],
            response: PushResponse(format: responseFormat, bytes: [UInt8](responseBytes)), provenanceID: row["provenance_id"],
            created: [])
        return (receipt, bundle)
    }
}
