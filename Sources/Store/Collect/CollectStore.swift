import Foundation
import GRDB

/// An authorization request this gateway sent a patient's browser to a provider with, waiting for
/// the browser to come back to `/oauth/callback`.
public struct PendingCollect: Sendable, Hashable {
    public var patientID: String
    public var providerName: String
    public var dataServiceID: String
    /// X-Correlation-ID of the flow: sent with the authorization request, copied onto token and resource requests.
    public var correlationID: String
    public var createdAtMilliseconds: Int64
    /// For sharing: the ids of the Observations the patient chose to send; empty when collecting.
    public var selection: [String]

    public init(
        patientID: String, providerName: String, dataServiceID: String, correlationID: String, createdAtMilliseconds: Int64,
        selection: [String] = []
    ) {
        self.selection = selection
        self.patientID = patientID
        self.providerName = providerName
        self.dataServiceID = dataServiceID
        self.correlationID = correlationID
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// What became of a callback's `state`.
public enum PendingCollectClaim: Sendable, Hashable {
    case claimed(PendingCollect)
    /// No such state, or it belongs to another browser.
    case unknown
    /// The state was used already: a replayed callback.
    case replayed
    /// Older than the allowed time.
    case expired
}

/// The outcome of one BgZ query in one collection, as the patient sees it.
public struct CollectQueryOutcome: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Answered and stored (possibly nothing: the provider holds no such data).
        case stored
        /// Failed after the retries; what was stored before is untouched.
        case failed
    }

    public var queryNumber: Int
    public var kind: Kind
    /// Resources stored.
    public var resources: Int
    /// Resources refused (another patient, wrong type) and audited as incidents.
    public var refused: Int
    public var attempts: Int
    /// What went wrong, in words without clinical content or tokens.
    public var detail: String?

    public init(queryNumber: Int, kind: Kind, resources: Int, refused: Int, attempts: Int, detail: String? = nil) {
        self.queryNumber = queryNumber
        self.kind = kind
        self.resources = resources
        self.refused = refused
        self.attempts = attempts
        self.detail = detail
    }
}

/// Where a collected resource version came from.
public struct CollectedProvenance: Sendable, Hashable {
    public var resourceType: String
    public var resourceID: String
    public var version: Int
    public var patientID: String
    public var providerName: String
    public var sourceURA: String?
    /// `Type/id` at the provider.
    public var sourceReference: String
    public var queryNumber: Int
    public var query: String
    public var runID: String

    public init(
        resourceType: String, resourceID: String, version: Int, patientID: String, providerName: String, sourceURA: String?,
        sourceReference: String, queryNumber: Int, query: String, runID: String
    ) {
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.version = version
        self.patientID = patientID
        self.providerName = providerName
        self.sourceURA = sourceURA
        self.sourceReference = sourceReference
        self.queryNumber = queryNumber
        self.query = query
        self.runID = runID
    }
}

/// The collect flow's own rows: pending authorizations (state and browser binding stored only as
/// hashes), sealed refresh tokens, per-query outcomes and provenance.
public struct CollectStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func addPending(_ pending: PendingCollect, stateHash: String, bindingHash: String) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO collect_pending (state_hash, binding_hash, patient_id, provider_name, data_service_id, correlation_id,
                        created_at_ms, selection)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stateHash, bindingHash, pending.patientID, pending.providerName, pending.dataServiceID, pending.correlationID,
                    pending.createdAtMilliseconds, try Self.encode(pending.selection),
                ])
        }
    }

    /// Marks the state used, once: a second claim is a replay, a claim from another browser (binding) is unknown.
    public func claim(stateHash: String, bindingHash: String?, now: Int64, maxAgeMilliseconds: Int64) async throws -> PendingCollectClaim {
        try await database.pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM collect_pending WHERE state_hash = ?", arguments: [stateHash]) else {
                return .unknown
            }
            guard let bindingHash, bindingHash == (row["binding_hash"] as String) else { return .unknown }
            if (row["used_at_ms"] as Int64?) != nil { return .replayed }
            try db.execute(sql: "UPDATE collect_pending SET used_at_ms = ? WHERE state_hash = ?", arguments: [now, stateHash])
            let created: Int64 = row["created_at_ms"]
            guard now - created <= maxAgeMilliseconds else { return .expired }
            return .claimed(
                PendingCollect(
                    patientID: row["patient_id"], providerName: row["provider_name"], dataServiceID: row["data_service_id"],
                    correlationID: row["correlation_id"], createdAtMilliseconds: created, selection: Self.decode(row["selection"])))
        }
    }

    private static func encode(_ selection: [String]) throws -> String? {
        selection.isEmpty ? nil : String(decoding: try JSONEncoder().encode(selection), as: UTF8.self)
    }

    private static func decode(_ text: String?) -> [String] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// Stores (or clears, with nil) the sealed refresh token of a patient's grant at a provider.
    public func saveGrant(patientID: String, providerName: String, dataServiceID: String, sealedRefreshToken: [UInt8]?, at date: Date = Date())
        async throws
    {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO collect_grant (patient_id, provider_name, data_service_id, sealed_refresh_token, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (patient_id, provider_name, data_service_id) DO UPDATE SET
                        sealed_refresh_token = excluded.sealed_refresh_token, updated_at = excluded.updated_at
                    """,
                arguments: [patientID, providerName, dataServiceID, sealedRefreshToken.map { Data($0) }, Instant.format(date)])
        }
    }

    public func sealedRefreshToken(patientID: String, providerName: String, dataServiceID: String) async throws -> [UInt8]? {
        try await database.pool.read { db in
            try Data.fetchOne(
                db,
                sql: "SELECT sealed_refresh_token FROM collect_grant WHERE patient_id = ? AND provider_name = ? AND data_service_id = ?",
                arguments: [patientID, providerName, dataServiceID]
            ).map { Array($0) }
        }
    }

    public func recordOutcome(_ outcome: CollectQueryOutcome, runID: String, patientID: String, providerName: String, at date: Date = Date())
        async throws
    {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO collect_query_outcome
                        (run_id, patient_id, provider_name, query_number, outcome, resources, refused, attempts, detail, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, patientID, providerName, outcome.queryNumber, outcome.kind.rawValue, outcome.resources, outcome.refused,
                    outcome.attempts, outcome.detail, Instant.format(date),
                ])
        }
    }

    /// A run's outcomes, by query number; only the patient's own runs.
    public func outcomes(runID: String, patientID: String) async throws -> [CollectQueryOutcome] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM collect_query_outcome WHERE run_id = ? AND patient_id = ? ORDER BY query_number",
                arguments: [runID, patientID]
            ).map { row in
                CollectQueryOutcome(
                    queryNumber: row["query_number"], kind: CollectQueryOutcome.Kind(rawValue: row["outcome"]) ?? .failed,
                    resources: row["resources"], refused: row["refused"], attempts: row["attempts"], detail: row["detail"])
            }
        }
    }

    /// Records provenance inside the transaction that stored the resource versions.
    public static func recordProvenance(_ provenance: CollectedProvenance, at date: Date, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO collected_provenance (resource_type, resource_id, version, patient_id, provider_name, source_ura,
                    source_reference, query_number, query, run_id, collected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                provenance.resourceType, provenance.resourceID, provenance.version, provenance.patientID, provenance.providerName,
                provenance.sourceURA, provenance.sourceReference, provenance.queryNumber, provenance.query, provenance.runID,
                Instant.format(date),
            ])
    }

    public func provenance(type: String, id: String) async throws -> [CollectedProvenance] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM collected_provenance WHERE resource_type = ? AND resource_id = ? ORDER BY version", arguments: [type, id]
            ).map { row in
                CollectedProvenance(
                    resourceType: row["resource_type"], resourceID: row["resource_id"], version: row["version"], patientID: row["patient_id"],
                    providerName: row["provider_name"], sourceURA: row["source_ura"], sourceReference: row["source_reference"],
                    queryNumber: row["query_number"], query: row["query"], runID: row["run_id"])
            }
        }
    }
}
