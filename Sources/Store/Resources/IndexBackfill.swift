import FHIR
import Foundation
import GRDB

/// Re-derives the index rows of every stored resource from its current version, for migrations that
/// change what is indexed. Rows are rewritten exactly as a new write would write them.
enum IndexBackfill {
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
            let incoming = IncomingResource(resource: resource, receivedFormat: .json, receivedBytes: [])
            work.append((row["resource_key"], row["last_updated_ms"], PreparedWrite(incoming: incoming, indexer: indexer, references: LocalReferences())))
        }
        for item in work {
            try item.write.reindex(db, key: item.key, millis: item.millis)
        }
    }
}
