import GRDB

extension GatewayDatabase {
    /// Storage layout changes that keep the data but move it to where SQLite reads it fastest.
    static func registerStorageMigrations(_ migrator: inout DatabaseMigrator) {
        // v1 kept resource versions WITHOUT ROWID. Such a table is a b-tree of index pages, which hold
        // at most about a quarter of a page per row before spilling into an overflow page; a version
        // (received bytes plus content, about 2 kB) spilled almost always, so each read of a resource
        // touched two pages and half of every overflow page stood empty (552 MB for 1,000 patients,
        // 259 MB of it unused). A rowid table keeps a row up to nearly a whole page in its leaf.
        //
        // The content columns come first and the received bytes, kept for the record and read by no
        // request, last: SQLite stops reading a row at the last column a query asks for, so when a large
        // row does overflow, the part a search needs is in the leaf. Received bytes become optional: a
        // resource the gateway produced itself (a PZC import's rendering, a Consent, a Provenance) has
        // none beyond its content, and keeping a second copy doubled what an import stores.
        migrator.registerMigration("v12: resource versions in a rowid table, received bytes only when received") { db in
            try db.execute(sql: """
                CREATE TABLE resource_version_v12 (
                    resource_key     INTEGER NOT NULL REFERENCES resource (resource_key),
                    version          INTEGER NOT NULL,
                    last_updated     TEXT NOT NULL,
                    content_json     BLOB NOT NULL,
                    -- The resource as PGO apps receive it (BSN masked), when it differs from content_json.
                    masked_json      BLOB,
                    -- As a client or provider sent it; both NULL for a resource the gateway produced itself.
                    received_format  TEXT CHECK (received_format IN ('json', 'xml')),
                    received_bytes   BLOB,
                    PRIMARY KEY (resource_key, version),
                    CHECK ((received_format IS NULL) = (received_bytes IS NULL))
                ) STRICT;
                INSERT INTO resource_version_v12
                    (resource_key, version, last_updated, content_json, masked_json, received_format, received_bytes)
                    SELECT resource_key, version, last_updated, content_json, masked_json, received_format, received_bytes
                    FROM resource_version ORDER BY resource_key, version;
                DROP TABLE resource_version;
                ALTER TABLE resource_version_v12 RENAME TO resource_version;
                """)
        }
        // A patient-scoped search starts from the patient's compartment rows (`Visibility.source`). Keyed
        // by patient alone, every search read all of a patient's rows and filtered on the type after a
        // lookup of each in `resource`: the 28 BgZ queries read the whole record 28 times, and a push's
        // conditional update of the Patient read a record grown by earlier pushes. Keyed by patient and
        // type, a search reads the rows of its own type only.
        migrator.registerMigration("v13: patient compartment keyed by patient and type") { db in
            try db.execute(sql: """
                CREATE TABLE patient_compartment_v13 (
                    patient_id     TEXT NOT NULL,
                    resource_type  TEXT NOT NULL,
                    resource_key   INTEGER NOT NULL REFERENCES resource (resource_key),
                    PRIMARY KEY (patient_id, resource_type, resource_key)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO patient_compartment_v13 (patient_id, resource_type, resource_key)
                    SELECT pc.patient_id, r.type, pc.resource_key
                    FROM patient_compartment pc JOIN resource r ON r.resource_key = pc.resource_key;
                DROP TABLE patient_compartment;
                ALTER TABLE patient_compartment_v13 RENAME TO patient_compartment;
                CREATE INDEX patient_compartment_by_resource ON patient_compartment (resource_key);
                """)
        }
        // Whether a patient may see a shared resource (a Medication, a GP) is whether something in
        // the patient's record refers to it. Asked of `resource_link`, that meant reading every
        // compartment row of the patient and its links, once per shared resource shown: about 50 ms
        // on a record of 52,000 resources, paid for each Medication a MedicationStatement search
        // includes. `patient_link` keeps the links of each patient's resources under the patient, so the
        // question is one primary-key lookup whatever the size of the record or of the referrers.
        migrator.registerMigration("v14: links by patient") { db in
            try db.execute(sql: """
                CREATE TABLE patient_link (
                    patient_id     TEXT NOT NULL,
                    target_type    TEXT NOT NULL,
                    target_id      TEXT NOT NULL,
                    -- The referring resource, whose type decides what a Binary may be reached from.
                    resource_key   INTEGER NOT NULL REFERENCES resource (resource_key),
                    resource_type  TEXT NOT NULL,
                    PRIMARY KEY (patient_id, target_type, target_id, resource_key)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX patient_link_by_resource ON patient_link (resource_key);
                INSERT OR IGNORE INTO patient_link (patient_id, target_type, target_id, resource_key, resource_type)
                    SELECT pc.patient_id, l.target_type, l.target_id, pc.resource_key, pc.resource_type
                    FROM patient_compartment pc JOIN resource_link l ON l.resource_key = pc.resource_key;
                """)
        }
        // The lookups of imported PZCs by something other than their id read the whole table: a push
        // finding its patient by BSN (1.9 ms at 10,000 patients, growing with every patient), the
        // portal finding a patient's members or a member's communities (every linked resource of every
        // PZC). Each gets the index it needs.
        migrator.registerMigration("v15: PZC lookups by BSN, patient and member") { db in
            try db.execute(sql: """
                CREATE INDEX pzc_by_bsn ON pzc (bsn);
                CREATE INDEX pzc_by_patient ON pzc (patient_resource_id);
                CREATE INDEX pzc_resource_by_resource ON pzc_resource (resource_type, resource_id);
                """)
        }
        // With v14 nothing reads `resource_link` any more: every question it answered is asked of
        // `patient_link`. Kept, it cost each write of a resource one row and two index entries per link.
        migrator.registerMigration("v16: links kept by patient only") { db in
            try db.execute(sql: "DROP TABLE resource_link")
        }
    }
}
