import Foundation
import GRDB
import Store

/// Why a consent version could not be recorded.
public enum ConsentRepositoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Versions are numbered 1, 2, 3… per consent; this one does not follow the latest stored version.
    case versionOutOfSequence(consentID: String, expected: Int, got: Int)
    /// A later version names another patient than the first: a consent never changes hands.
    case patientChanged(consentID: String)

    public var description: String {
        switch self {
        case .versionOutOfSequence(let id, let expected, let got):
            "consent \(id): expected version \(expected), got \(got)"
        case .patientChanged(let id):
            "consent \(id): a new version cannot name another patient"
        }
    }
}

/// Consent records in `gateway.sqlite`, every version kept (the schema refuses updates and deletes).
///
/// Reads always go to the database: the decision point asks per request, so a revocation recorded a
/// moment ago counts on the very next request.
///
/// ```swift
/// let consents = ConsentRepository(database: database)
/// try await consents.record(consent)                         // version 1
/// try await consents.record(consent.revoked(at: .now))       // version 2, inactive
/// let inForce = try await consents.consentsInForce(patientID: "p1", at: .now)   // []
/// ```
public struct ConsentRepository: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Stores one new version. Version 1 starts a consent; every later version must follow the latest
    /// stored one and keep its patient.
    public func record(_ consent: ConsentRecord) async throws {
        let json = try Self.encoder.encode(consent)
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
        }
    }

    /// The latest version of every consent of one patient, whatever its status.
    public func latestVersions(patientID: String) async throws -> [ConsentRecord] {
        try await database.pool.read { db in
            try Self.decode(
                Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.record_json FROM consent_version c
                        WHERE c.patient_id = ?
                          AND c.version = (SELECT MAX(version) FROM consent_version WHERE consent_id = c.consent_id)
                        ORDER BY c.recorded_at_ms, c.consent_id
                        """,
                    arguments: [patientID]))
        }
    }

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
