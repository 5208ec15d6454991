import FHIR
import Foundation
import GRDB

/// Reads and writes versioned FHIR resources.
///
/// Every write is a new version; nothing is updated in place. The search index describes only the
/// current version and is rewritten in the same transaction as the version it describes.
///
/// ```swift
/// let repository = ResourceRepository(database: database)
/// let stored = try await repository.store([incoming])
/// let again = try await repository.read(type: "Patient", id: "p1", scope: .everything)
/// ```
public struct ResourceRepository: Sendable {
    public let database: GatewayDatabase
    let indexer: SearchIndexer

    public init(database: GatewayDatabase, indexer: SearchIndexer = SearchIndexer()) {
        self.database = database
        self.indexer = indexer
    }

    public enum WriteResult: Sendable, Hashable {
        case created(StoredResource)
        case updated(StoredResource)
        /// The content equals the current version (apart from server-managed meta); nothing written.
        case unchanged(StoredResource)

        public var stored: StoredResource {
            switch self {
            case .created(let stored), .updated(let stored), .unchanged(let stored): stored
            }
        }
    }

    /// Stores all resources in one transaction: either every one gets its new version or none does.
    public func store(
        _ batch: [IncomingResource],
        at date: Date = Date(),
        skipUnchanged: Bool = false
    ) async throws -> [WriteResult] {
        for incoming in batch {
            guard let id = incoming.resource.id else {
                throw StoreError.missingID(resourceType: incoming.resource.resourceType)
            }
            guard StoreError.isValidID(id) else { throw StoreError.invalidID(id) }
        }
        let millis = Instant.milliseconds(date)
        let lastUpdated = Instant.format(milliseconds: millis)
        let prepared = batch.map { PreparedWrite(incoming: $0, indexer: indexer) }
        return try await database.pool.write { db in
            try prepared.map { try $0.write(db, lastUpdated: lastUpdated, millis: millis, skipUnchanged: skipUnchanged) }
        }
    }

    /// The current version, or a given one, when the scope may see the resource.
    public func read(type: String, id: String, version: Int? = nil, scope: AccessScope) async throws
        -> StoredResource?
    {
        try await database.pool.read { db in
            guard let key = try Self.visibleKey(db, type: type, id: id, scope: scope) else { return nil }
            let row: Row?
            if let version {
                row = try Row.fetchOne(
                    db,
                    sql: "SELECT version, last_updated, \(scope.contentColumn("resource_version")) FROM resource_version WHERE resource_key = ? AND version = ?",
                    arguments: [key, version])
            } else {
                row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT v.version, v.last_updated, \(scope.contentColumn("v")) FROM resource r
                        JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                        WHERE r.resource_key = ?
                        """,
                    arguments: [key])
            }
            return row.map { StoredResource(type: type, id: id, row: $0) }
        }
    }

    /// All versions, newest first, when the scope may see the resource.
    public func history(type: String, id: String, scope: AccessScope) async throws -> [StoredResource]? {
        try await database.pool.read { db in
            guard let key = try Self.visibleKey(db, type: type, id: id, scope: scope) else { return nil }
            return try Row.fetchAll(
                db,
                sql: "SELECT version, last_updated, \(scope.contentColumn("resource_version")) FROM resource_version WHERE resource_key = ? ORDER BY version DESC",
                arguments: [key]
            ).map { StoredResource(type: type, id: id, row: $0) }
        }
    }

    /// Whether a Patient resource with this id exists.
    public func patientExists(id: String) async throws -> Bool {
        try await database.pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM resource WHERE type = 'Patient' AND id = ?)", arguments: [id])
                ?? false
        }
    }

    static func visibleKey(_ db: Database, type: String, id: String, scope: AccessScope) throws -> Int64? {
        switch scope {
        case .everything:
            return try Int64.fetchOne(db, sql: "SELECT resource_key FROM resource WHERE type = ? AND id = ?", arguments: [type, id])
        case .patient(let patientID):
            return try Int64.fetchOne(
                db,
                sql: "SELECT r.resource_key FROM resource r WHERE r.type = ? AND r.id = ? AND \(Visibility.sql("r"))",
                arguments: [type, id] + Visibility.arguments(patientID))
        }
    }
}

extension AccessScope {
    /// The column with the bytes this scope receives, named `content_json`: PGO apps (patient scope)
    /// get the BSN-masked view where one exists.
    func contentColumn(_ alias: String) -> String {
        switch self {
        case .everything: "\(alias).content_json"
        case .patient: "COALESCE(\(alias).masked_json, \(alias).content_json) AS content_json"
        }
    }
}

/// The SQL that decides whether a patient-bound caller may see a resource.
enum Visibility {
    /// A resource is visible to patient P when it is in P's compartment, or when it belongs to no
    /// patient at all and something in P's compartment refers to it.
    static func sql(_ alias: String) -> String {
        """
        (EXISTS (SELECT 1 FROM patient_compartment pc WHERE pc.resource_key = \(alias).resource_key AND pc.patient_id = ?)
         OR (NOT EXISTS (SELECT 1 FROM patient_compartment pc WHERE pc.resource_key = \(alias).resource_key)
             AND EXISTS (SELECT 1 FROM resource_link l JOIN patient_compartment pc ON pc.resource_key = l.resource_key
                         WHERE l.target_type = \(alias).type AND l.target_id = \(alias).id AND pc.patient_id = ?)))
        """
    }

    static func arguments(_ patientID: String) -> StatementArguments {
        [patientID, patientID]
    }
}

extension StoredResource {
    init(type: String, id: String, row: Row) {
        let bytes: Data = row["content_json"]
        self.init(type: type, id: id, version: row["version"], lastUpdated: row["last_updated"], contentJSON: [UInt8](bytes))
    }
}
