import GRDB

extension GatewayDatabase {
    /// EPD push intake: every accepted transaction Bundle kept as the exact bytes received, with the
    /// transaction-response sent for it, so that a retry of the same `Bundle.identifier` by the same
    /// party gets the original answer back and stores nothing new.
    ///
    /// The UNIQUE key is what makes two identical pushes at the same time store once: the second
    /// write transaction finds the first one's row (and would fail on the key if it did not look).
    /// Rows are never changed or deleted: they are the provenance of what the record holds.
    static func registerPushMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9: push intake") { db in
            try db.execute(sql: """
                CREATE TABLE pushed_bundle (
                    push_id            TEXT PRIMARY KEY NOT NULL,
                    party_id           TEXT NOT NULL REFERENCES party (party_id),
                    identifier_system  TEXT NOT NULL,
                    identifier_value   TEXT NOT NULL,
                    -- The record the bundle was matched to (by BSN): the patient's own Patient id.
                    patient_id         TEXT NOT NULL,
                    received_at_ms     INTEGER NOT NULL,
                    bundle_format      TEXT NOT NULL CHECK (bundle_format IN ('json', 'xml')),
                    bundle_bytes       BLOB NOT NULL,
                    response_format    TEXT NOT NULL CHECK (response_format IN ('json', 'xml')),
                    response_bytes     BLOB NOT NULL,
                    -- The Provenance resource written for the push (`Provenance/<id>`).
                    provenance_id      TEXT NOT NULL,
                    UNIQUE (party_id, identifier_system, identifier_value)
                ) STRICT;
                CREATE INDEX pushed_bundle_by_patient ON pushed_bundle (patient_id, received_at_ms);

                CREATE TRIGGER pushed_bundle_never_updated BEFORE UPDATE ON pushed_bundle
                BEGIN SELECT RAISE(ABORT, 'pushed bundles are kept as received'); END;
                CREATE TRIGGER pushed_bundle_never_deleted BEFORE DELETE ON pushed_bundle
                BEGIN SELECT RAISE(ABORT, 'pushed bundles are kept as received'); END;
                """)
        }
    }
}
