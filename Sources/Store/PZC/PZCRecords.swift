import Foundation
import GRDB

/// A personal care community (PZC) as the gateway knows it after an import.
public struct PZCRecord: Sendable, Hashable, Codable {
    public var pzcID: String
    public var title: String
    /// The FHIR id of the patient's Patient resource.
    public var patientResourceID: String
    public var patientName: String
    /// The patient's BSN, kept to match pushed records; never shown to PGO apps.
    public var bsn: String?
    public var importedAt: String
    /// Number of entries per export section, e.g. `["dossier.problems": 3, "measurements": 40]`.
    public var entryCounts: [String: Int]

    public init(
        pzcID: String, title: String, patientResourceID: String, patientName: String, bsn: String?, importedAt: String,
        entryCounts: [String: Int]
    ) {
        self.pzcID = pzcID
        self.title = title
        self.patientResourceID = patientResourceID
        self.patientName = patientName
        self.bsn = bsn
        self.importedAt = importedAt
        self.entryCounts = entryCounts
    }
}

/// A resource an import produced, and the export entry it came from.
public struct PZCResourceLink: Sendable, Hashable {
    public var type: String
    public var id: String
    public var entryID: String

    public init(type: String, id: String, entryID: String) {
        self.type = type
        self.id = id
        self.entryID = entryID
    }

    public var reference: String { "\(type)/\(id)" }
}

/// The PZCs imported into `gateway.sqlite` and the resources each import produced, so that a
/// re-import can tell which entries disappeared from the export.
///
/// ```swift
/// let records = PZCRecords(database: database)
/// let removed = try await records.record(pzc, resources: links)   // resources the previous import had and this one lacks
/// ```
public struct PZCRecords: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Records an import and returns the resources an earlier import produced that this one did not.
    /// Those are reported, never deleted: removing data is a decision for a person, not for an import.
    public func record(_ pzc: PZCRecord, resources: [PZCResourceLink]) async throws -> [PZCResourceLink] {
        try await database.pool.write { db in try Self.record(pzc, resources: resources, in: db) }
    }

    /// ``record(_:resources:)`` inside a write transaction the caller holds, so that an import's
    /// resources and its registration commit together: a crash never leaves a patient's data stored
    /// under a PZC nobody can find.
    public static func record(_ pzc: PZCRecord, resources: [PZCResourceLink], in db: Database) throws -> [PZCResourceLink] {
        let counts = String(decoding: try JSONEncoder.sorted.encode(pzc.entryCounts), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO pzc (pzc_id, title, patient_resource_id, patient_name, bsn, imported_at, entry_counts)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (pzc_id) DO UPDATE SET
                    title = excluded.title, patient_resource_id = excluded.patient_resource_id,
                    patient_name = excluded.patient_name, bsn = excluded.bsn, imported_at = excluded.imported_at,
                    entry_counts = excluded.entry_counts
                """,
            arguments: [pzc.pzcID, pzc.title, pzc.patientResourceID, pzc.patientName, pzc.bsn, pzc.importedAt, counts])
        let previous = try Row.fetchAll(
            db, sql: "SELECT resource_type, resource_id, entry_id FROM pzc_resource WHERE pzc_id = ? AND removed_at IS NULL",
            arguments: [pzc.pzcID]
        ).map { PZCResourceLink(type: $0["resource_type"], id: $0["resource_id"], entryID: $0["entry_id"]) }
        let current = Set(resources.map(\.reference))
        let removed = previous.filter { !current.contains($0.reference) }
        for link in removed {
            try db.execute(
                sql: "UPDATE pzc_resource SET removed_at = ? WHERE pzc_id = ? AND resource_type = ? AND resource_id = ?",
                arguments: [pzc.importedAt, pzc.pzcID, link.type, link.id])
        }
        for link in resources {
            try db.execute(
                sql: """
                    INSERT INTO pzc_resource (pzc_id, resource_type, resource_id, entry_id, removed_at) VALUES (?, ?, ?, ?, NULL)
                    ON CONFLICT (pzc_id, resource_type, resource_id) DO UPDATE SET entry_id = excluded.entry_id, removed_at = NULL
                    """,
                arguments: [pzc.pzcID, link.type, link.id, link.entryID])
        }
        return removed
    }

    public func all() async throws -> [PZCRecord] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM pzc ORDER BY pzc_id").map(Self.record)
        }
    }

    /// The PZCs `memberID` (the FHIR id of a Practitioner or RelatedPerson) is a member of, as the
    /// latest import of each left them: a member removed from an export no longer counts.
    ///
    /// ```swift
    /// let patients = try await PZCRecords(database: database).communities(memberID: "pzc-park-huisarts")
    /// ```
    public func communities(memberID: String) async throws -> [PZCRecord] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: Self.communitiesOfMember, arguments: [memberID]).map(Self.record)
        }
    }

    /// Read through `pzc_resource_by_resource`: the member's own links, not every PZC's.
    static let communitiesOfMember = """
        SELECT DISTINCT p.* FROM pzc p
        JOIN pzc_resource pr ON pr.pzc_id = p.pzc_id AND pr.removed_at IS NULL
        WHERE pr.resource_type IN ('Practitioner', 'RelatedPerson') AND pr.resource_id = ?
        ORDER BY p.patient_name, p.pzc_id
        """

    private static func record(_ row: Row) -> PZCRecord {
        let countsText: String = row["entry_counts"]
        let counts = (try? JSONDecoder().decode([String: Int].self, from: Data(countsText.utf8))) ?? [:]
        return PZCRecord(
            pzcID: row["pzc_id"], title: row["title"], patientResourceID: row["patient_resource_id"],
            patientName: row["patient_name"], bsn: row["bsn"], importedAt: row["imported_at"], entryCounts: counts)
    }
}

extension JSONEncoder {
    /// Keys sorted, so equal content is stored as equal text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
