import Foundation
import GRDB

/// The patient's own Observations, as candidates for sharing with a provider (MedMij Delen). Only
/// the current versions in the patient's compartment: an id of another patient's resource is never
/// found, whatever a form sends.
///
/// ```swift
/// let observations = try await ShareSource(database: database).observations(patientID: "p1")
/// ```
public struct ShareSource: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Every current Observation in the patient's compartment, newest change first.
    public func observations(patientID: String) async throws -> [StoredResource] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, v.version, v.last_updated, v.content_json FROM resource r
                    JOIN patient_compartment c ON c.resource_key = r.resource_key AND c.patient_id = ? AND c.resource_type = 'Observation'
                    JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                    WHERE r.type = 'Observation'
                    ORDER BY r.last_updated_ms DESC, r.id
                    """,
                arguments: [patientID]
            ).map { row in
                let bytes: Data = row["content_json"]
                return StoredResource(type: "Observation", id: row["id"], version: row["version"], lastUpdated: row["last_updated"], contentJSON: [UInt8](bytes))
            }
        }
    }
}
