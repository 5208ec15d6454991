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
    /// Which references name resources in this store; decides compartments and shared-resource links.
    public let references: LocalReferences

    public init(database: GatewayDatabase, indexer: SearchIndexer = SearchIndexer(), references: LocalReferences = LocalReferences()) {
        self.database = database
        self.indexer = indexer
        self.references = references
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
        let prepared = batch.map { PreparedWrite(incoming: $0, indexer: indexer, references: references) }
        return try await database.pool.write { db in
            try prepared.map { try $0.write(db, lastUpdated: lastUpdated, millis: millis, skipUnchanged: skipUnchanged) }
        }
    }

    /// The current version, or a given one, when the scope may see the resource.
    ///
    /// Under a patient scope the resource must be visible now *and*, for an older version, that
    /// version must itself have belonged to the patient's compartment: a resource moved from one
    /// patient to another never shows the new patient what the old one's version held.
    public func read(type: String, id: String, version: Int? = nil, scope: AccessScope) async throws
        -> StoredResource?
    {
        let references = references
        return try database.lookup { db in
            guard let key = try Self.visibleKey(db, type: type, id: id, scope: scope) else { return nil }
            let row: Row?
            if let version {
                row = try Row.fetchOne(db.cachedStatement(sql: ReadSQL.version(scope)), arguments: [key, version])
            } else {
                row = try Row.fetchOne(db.cachedStatement(sql: ReadSQL.current(scope)), arguments: [key])
            }
            guard let stored = row.map({ StoredResource(type: type, id: id, row: $0) }) else { return nil }
            guard version == nil || stored.belongs(to: scope, references: references) else { return nil }
            return stored
        }
    }

    /// All versions the scope may see, newest first, when the scope may see the resource; under a
    /// patient scope only the versions that belonged to the patient's compartment (see ``read``).
    public func history(type: String, id: String, scope: AccessScope) async throws -> [StoredResource]? {
        let references = references
        return try await database.pool.read { db in
            guard let key = try Self.visibleKey(db, type: type, id: id, scope: scope) else { return nil }
            return try Row.fetchAll(
                db,
                sql: "SELECT version, last_updated, \(scope.contentColumn("resource_version")) FROM resource_version WHERE resource_key = ? ORDER BY version DESC",
                arguments: [key]
            ).map { StoredResource(type: type, id: id, row: $0) }.filter { $0.belongs(to: scope, references: references) }
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
            return try Int64.fetchOne(db.cachedStatement(sql: ReadSQL.visibleKeyEverything), arguments: [type, id])
        case .patient(let patientID):
            return try Int64.fetchOne(
                db.cachedStatement(sql: ReadSQL.visibleKeyPatient), arguments: [type, id] + Visibility.arguments(patientID))
        }
    }
}

/// The fixed SQL of reading one resource, built once. Each text is one of a handful, so the statements
/// can be prepared once per connection (`cachedStatement`) instead of parsed again on every read.
enum ReadSQL {
    static let visibleKeyEverything = "SELECT resource_key FROM resource WHERE type = ? AND id = ?"
    static let visibleKeyPatient = "SELECT r.resource_key FROM resource r WHERE r.type = ? AND r.id = ? AND \(Visibility.sql("r"))"

    private static let versionEverything = versionSQL(AccessScope.everything.contentColumn("resource_version"))
    private static let versionPatient = versionSQL(AccessScope.patient(id: "").contentColumn("resource_version"))
    private static let currentEverything = currentSQL(AccessScope.everything.contentColumn("v"))
    private static let currentPatient = currentSQL(AccessScope.patient(id: "").contentColumn("v"))

    /// One given version of the resource `resource_key = ?`, `version = ?`, with the content `scope` receives.
    static func version(_ scope: AccessScope) -> String {
        switch scope {
        case .everything: versionEverything
        case .patient: versionPatient
        }
    }

    /// The current version of the resource `resource_key = ?`, with the content `scope` receives.
    static func current(_ scope: AccessScope) -> String {
        switch scope {
        case .everything: currentEverything
        case .patient: currentPatient
        }
    }

    private static func versionSQL(_ content: String) -> String {
        "SELECT version, last_updated, \(content) FROM resource_version WHERE resource_key = ? AND version = ?"
    }

    private static func currentSQL(_ content: String) -> String {
        """
        SELECT v.version, v.last_updated, \(content) FROM resource r
        JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
        WHERE r.resource_key = ?
        """
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

extension StoredResource {
    /// Whether this version's own content puts it where `scope` may look. Types outside every
    /// compartment (practitioners, medications …) carry no patient data, so any of their versions
    /// is as visible as the current one.
    func belongs(to scope: AccessScope, references: LocalReferences) -> Bool {
        guard case .patient(let patientID) = scope else { return true }
        if type == "Patient" { return id == patientID }
        guard let paths = PatientCompartment.paths[type], !paths.isEmpty else { return Visibility.sharedTypes.contains(type) }
        // The version's references are what counts; unreadable content is refused rather than guessed at.
        guard let resource = try? resource() else { return false }
        let patients = PatientCompartment.patients(of: resource, references: references)
        // A Device of no patient is shared; one that named a patient is that patient's only.
        return patients.isEmpty ? Visibility.sharedTypes.contains(type) : patients.contains(patientID)
    }

    init(type: String, id: String, row: Row) {
        let bytes: Data = row["content_json"]
        self.init(type: type, id: id, version: row["version"], lastUpdated: row["last_updated"], contentJSON: [UInt8](bytes))
    }
}
