import FHIR
import Foundation
import GRDB
import Store
import Synchronization

/// Why a consent version could not be recorded.
public enum ConsentRepositoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Versions are numbered 1, 2, 3… per consent; this one does not follow the latest stored version.
    case versionOutOfSequence(consentID: String, expected: Int, got: Int)
    /// A later version names another patient than the first: a consent never changes hands.
    case patientChanged(consentID: String)
    /// The resource store already holds a `Consent` with this id that is not this access consent (a zib
    /// directive imported from a PZC): the consent needs another id.
    case resourceIDInUse(consentID: String)

    public var description: String {
        switch self {
        case .versionOutOfSequence(let id, let expected, let got):
            "consent \(id): expected version \(expected), got \(got)"
        case .patientChanged(let id):
            "consent \(id): a new version cannot name another patient"
        case .resourceIDInUse(let id):
            "consent \(id): a Consent resource with this id that is not an access consent already exists"
        }
    }
}

/// Consent records in `gateway.sqlite`, every version kept (the schema refuses updates and deletes).
///
/// Reads always go to the database: the decision point asks per request, so a revocation recorded a
/// moment ago counts on the very next request. Only the decoding of a version already seen is saved
/// (``ConsentRecordCache``): versions never change, so which versions are the latest is always asked
/// of the database, and what a given version says can be remembered.
///
/// ```swift
/// let consents = ConsentRepository(database: database)
/// try await consents.record(consent)                         // version 1
/// try await consents.record(consent.revoked(at: .now))       // version 2, inactive
/// let inForce = try await consents.consentsInForce(patientID: "p1", at: .now)   // []
/// ```
public struct ConsentRepository: Sendable {
    public let database: GatewayDatabase
    /// Decoded versions of this database's consents, shared by every copy of this repository value.
    let decoded = ConsentRecordCache()

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Stores one new version. Version 1 starts a consent; every later version must follow the latest
    /// stored one and keep its patient. The id must be a FHIR id (`[A-Za-z0-9-.]{1,64}`).
    ///
    /// In the same transaction the version is rendered as a STU3 `Consent` (``ConsentRecord/fhirConsent()``)
    /// into the resource store, as version `n` of `Consent/<id>`, so the patient's token can read, search
    /// and page through its access consents and their `_history` like any resource. Versions the store
    /// lacks are written first (idempotent catch-up), so the two never drift apart.
    public func record(_ consent: ConsentRecord) async throws {
        let json = try Self.encoder.encode(consent)
        let resources = ResourceRepository(database: database)
        let now = Date()
        try await database.pool.write { db in
            let latest = try Row.fetchOne(
                db,
                sql: "SELECT version, patient_id FROM consent_version WHERE consent_id = ? ORDER BY version DESC LIMIT 1",
                arguments: [consent.id])
            let expected = (latest.map { $0["version"] as Int } ?? 0) + 1
            guard consent.version == expected else {
                throw ConsentRepositoryError.versionOutOfSequence(consentID: consent.id, expected: expected, got: consent.version)
            }
            if let latest, (latest["patient_id"] as String) != consent.patientID {
                throw ConsentRepositoryError.patientChanged(consentID: consent.id)
            }
            try db.execute(
                sql: """
                    INSERT INTO consent_version (consent_id, version, patient_id, status, recorded_at_ms, record_json)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    consent.id, consent.version, consent.patientID, consent.status.rawValue,
                    ConsentPeriod.milliseconds(consent.recordedAt), json,
                ])
            try Self.publish(consentID: consent.id, through: consent.version, in: db, to: resources, at: now)
        }
    }

    /// Writes versions of one consent that the resource store lacks, up to `version`, as `Consent`
    /// resources. Resource versions are numbered by the store; writing them in order from the store's
    /// current version keeps `Consent/<id>/_history/n` equal to consent version `n`.
    private static func publish(
        consentID: String, through version: Int, in db: Database, to resources: ResourceRepository, at date: Date
    ) throws {
        let current = try resources.current(type: "Consent", id: consentID, in: db)
        if let current {
            let isOurs = (try? current.resource()).map(ConsentRecord.isAccessConsent) ?? false
            guard isOurs, current.version <= version else { throw ConsentRepositoryError.resourceIDInUse(consentID: consentID) }
        }
        let first = (current?.version ?? 0) + 1
        guard first <= version else { return }
        let rows = try Row.fetchAll(
            db, sql: "SELECT record_json FROM consent_version WHERE consent_id = ? AND version BETWEEN ? AND ? ORDER BY version",
            arguments: [consentID, first, version])
        let incoming = try decode(rows).map { record in
            IncomingResource.produced(try record.fhirConsent())
        }
        _ = try resources.store(incoming, in: db, at: date)
    }

    /// The latest version of every consent of one patient, whatever its status.
    ///
    /// The query runs on every call, so a version recorded a moment ago (a revocation) is the one
    /// returned by the very next call. Only versions not seen before are decoded; see ``ConsentRecordCache``
    /// for why the decoded ones can be reused.
    public func latestVersions(patientID: String) async throws -> [ConsentRecord] {
        let cache = decoded
        return try database.lookup { db in
            let statement = try db.cachedStatement(sql: Self.latestVersionsSQL)
            let rows = try Row.fetchCursor(statement, arguments: [patientID])
            var records: [ConsentRecord] = []
            while let row = try rows.next() {
                let key = ConsentRecordCache.Key(consentID: row["consent_id"], version: row["version"])
                if let known = cache[key] {
                    records.append(known)
                } else {
                    let json: Data = row["record_json"]
                    let record = try Self.decoder.decode(ConsentRecord.self, from: json)
                    cache[key] = record
                    records.append(record)
                }
            }
            return records
        }
    }

    private static let latestVersionsSQL = """
        SELECT c.consent_id, c.version, c.record_json FROM consent_version c
        WHERE c.patient_id = ?
          AND c.version = (SELECT MAX(version) FROM consent_version WHERE consent_id = c.consent_id)
        ORDER BY c.recorded_at_ms, c.consent_id
        """

    /// The consents that count for a decision at `date`: latest versions that are active and valid then.
    public func consentsInForce(patientID: String, at date: Date) async throws -> [ConsentRecord] {
        try await latestVersions(patientID: patientID).filter { $0.isInForce(at: date) }
    }

    /// The latest version of one consent.
    public func latest(id: String) async throws -> ConsentRecord? {
        try await history(id: id).last
    }

    /// Every version of one consent, oldest first.
    public func history(id: String) async throws -> [ConsentRecord] {
        try await database.pool.read { db in
            try Self.decode(
                Row.fetchAll(
                    db, sql: "SELECT record_json FROM consent_version WHERE consent_id = ? ORDER BY version",
                    arguments: [id]))
        }
    }

    private static func decode(_ rows: [Row]) throws -> [ConsentRecord] {
        try rows.map { row in
            let json: Data = row["record_json"]
            return try decoder.decode(ConsentRecord.self, from: json)
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}

/// Decoded consent versions by (consent id, version), so that the per-request lookup decodes only the
/// versions it has not seen before.
///
/// Why this is correct: a row of `consent_version` is never changed or deleted (the schema's triggers
/// refuse both; a change or a revocation is a new version, a new row). So the record stored under
/// (consent id, version) is the same bytes for the life of the database, and its decoding is the same
/// value. The cache never says *which* versions exist or are the latest: that is asked of the database
/// on every lookup, so a new version or a revocation counts on the very next request, as before.
/// One cache belongs to one ``ConsentRepository`` value (and its copies), hence to one database.
///
/// Bounded: when it is full (``limit`` entries) it is emptied, and versions are decoded again.
final class ConsentRecordCache: Sendable {
    struct Key: Hashable, Sendable {
        var consentID: String
        var version: Int
    }

    /// More than the latest versions of a few thousand patients' consents; a few MB at most.
    static let limit = 4096

    private let entries = Mutex<[Key: ConsentRecord]>([:])

    subscript(key: Key) -> ConsentRecord? {
        get { entries.withLock { $0[key] } }
        set {
            entries.withLock { entries in
                if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
                entries[key] = newValue
            }
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
