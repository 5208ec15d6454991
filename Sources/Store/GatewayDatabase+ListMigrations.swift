import GRDB

extension GatewayDatabase {
    /// The MedMij lists (OCL, ZAL, whitelist, GNL): every accepted publication kept as the exact bytes
    /// accepted, so the list in force survives restarts and any earlier one can be shown to an auditor.
    static func registerListMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7: MedMij lists") { db in
            try db.execute(sql: """
                CREATE TABLE medmij_list_version (
                    kind             TEXT NOT NULL,
                    sequence_number  INTEGER NOT NULL CHECK (sequence_number >= 1),
                    accepted_at      TEXT NOT NULL,
                    -- Where the publication came from: 'file' (loaded by an operator) or 'edit'
                    -- (an operator changed one entry; the gateway wrote the new publication).
                    source           TEXT NOT NULL CHECK (source IN ('file', 'edit')),
                    xml              BLOB NOT NULL,
                    PRIMARY KEY (kind, sequence_number)
                ) STRICT, WITHOUT ROWID;

                CREATE TRIGGER medmij_list_version_never_updated BEFORE UPDATE ON medmij_list_version
                BEGIN SELECT RAISE(ABORT, 'accepted list publications are never changed'); END;
                """)
        }
    }
}
