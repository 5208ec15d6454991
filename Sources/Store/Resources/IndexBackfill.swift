import FHIR
import Foundation
import GRDB

/// Re-derives the index rows of every stored resource from its current version, for migrations that
/// change what is indexed. Rows are rewritten exactly as a new write would write them.
///
/// A migration only schedules it: the writes are today's (``PreparedWrite``), so they must run against
/// today's schema, after the last migration, not in the middle of the chain where a later migration
/// has yet to add a column they fill.
enum IndexBackfill {
    private static let pendingSetting = "index-backfill-pending"

    /// Marks the index for rebuilding once the migrations are done, when there is anything to rebuild.
    static func schedule(_ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM resource)") == true else { return }
        try db.execute(sql: "INSERT OR REPLACE INTO gateway_setting (name, value) VALUES (?, '1')", arguments: [pendingSetting])
    }

    /// Rebuilds the index when a migration asked for it; called after every migration has run.
    static func runIfScheduled(_ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM gateway_setting WHERE name = ?)", arguments: [pendingSetting]) == true
        else { return }
        try reindexCurrentVersions(db)
        try db.execute(sql: "DELETE FROM gateway_setting WHERE name = ?", arguments: [pendingSetting])
    }

    static func reindexCurrentVersions(_ db: Database, indexer: SearchIndexer = SearchIndexer()) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT r.resource_key, r.last_updated_ms, v.content_json
                FROM resource r JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                """)
        // Collected first: the cursor must not stay open while the same tables are written.
        var work = [(key: Int64, millis: Int64, write: PreparedWrite)]()
        while let row = try rows.next() {
            let bytes: Data = row["content_json"]
            // The store wrote this JSON itself; content it cannot parse again is left as it was indexed.
            guard let resource = try? FHIRJSON.parseResource([UInt8](bytes)) else { continue }
            work.append((row["resource_key"], row["last_updated_ms"], PreparedWrite(incoming: .produced(resource), indexer: indexer, references: LocalReferences())))
        }
        for item in work {
            try item.write.reindex(db, key: item.key, millis: item.millis)
        }
    }
}
