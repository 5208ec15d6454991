import FHIR
import Foundation
import GRDB

extension ResourceRepository {
    /// Stores resources inside a write transaction the caller already holds, so that another table's
    /// rows and the resources they are rendered as commit together or not at all (consent versions and
    /// their FHIR `Consent` resources). Same rules as ``store(_:at:skipUnchanged:)``.
    ///
    /// ```swift
    /// try await database.pool.write { db in
    ///     try db.execute(sql: "INSERT INTO consent_version …")
    ///     _ = try repository.store([incoming], in: db)
    /// }
    /// ```
    public func store(_ batch: [IncomingResource], in db: Database, at date: Date = Date(), skipUnchanged: Bool = false) throws
        -> [WriteResult]
    {
        for incoming in batch {
            guard let id = incoming.resource.id else {
                throw StoreError.missingID(resourceType: incoming.resource.resourceType)
            }
            guard StoreError.isValidID(id) else { throw StoreError.invalidID(id) }
        }
        let millis = Instant.milliseconds(date)
        let lastUpdated = Instant.format(milliseconds: millis)
        return try batch.map { incoming in
            try PreparedWrite(incoming: incoming, indexer: indexer, references: references)
                .write(db, lastUpdated: lastUpdated, millis: millis, skipUnchanged: skipUnchanged)
        }
    }

    /// The current version of a resource in any compartment, read inside the caller's transaction.
    public func current(type: String, id: String, in db: Database) throws -> StoredResource? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT v.version, v.last_updated, v.content_json FROM resource r
                JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                WHERE r.type = ? AND r.id = ?
                """,
            arguments: [type, id]
        ).map { StoredResource(type: type, id: id, row: $0) }
    }
}
