import GRDB

extension GatewayDatabase {
    /// Consent records: every version kept, none ever changed.
    ///
    /// A revocation or change is a new version (`ConsentRecord.superseded(at:)`), so the triggers refuse
    /// UPDATE and DELETE: what the patient agreed to at any moment can always be shown again.
    static func registerConsentMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: consents") { db in
            try db.execute(sql: """
                CREATE TABLE consent_version (
                    consent_id      TEXT NOT NULL,
                    version         INTEGER NOT NULL CHECK (version >= 1),
                    patient_id      TEXT NOT NULL,
                    status          TEXT NOT NULL,
                    recorded_at_ms  INTEGER NOT NULL,
                    record_json     BLOB NOT NULL,
                    PRIMARY KEY (consent_id, version)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX consent_version_by_patient ON consent_version (patient_id, consent_id, version);

                CREATE TRIGGER consent_version_never_updated BEFORE UPDATE ON consent_version
                BEGIN SELECT RAISE(ABORT, 'consent versions are never changed; record a new version'); END;
                CREATE TRIGGER consent_version_never_deleted BEFORE DELETE ON consent_version
                BEGIN SELECT RAISE(ABORT, 'consent versions are never deleted; record a revocation'); END;
                """)
        }
    }
}
