import GRDB

extension GatewayDatabase {
    /// The one place where the schema of `gateway.sqlite` is defined.
    ///
    /// Resources are versioned and never updated in place: `resource` names each logical resource and
    /// points at its current version, `resource_version` keeps every version's bytes. The index
    /// tables describe the current version only and are rewritten with each new version.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: resources, search index, registry, tokens") { db in
            try db.execute(sql: """
                CREATE TABLE gateway_setting (
                    name  TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) STRICT;

                CREATE TABLE resource (
                    resource_key     INTEGER PRIMARY KEY,
                    type             TEXT NOT NULL,
                    id               TEXT NOT NULL,
                    current_version  INTEGER NOT NULL,
                    last_updated_ms  INTEGER NOT NULL,
                    UNIQUE (type, id)
                ) STRICT;
                CREATE INDEX resource_by_type_updated ON resource (type, last_updated_ms);

                CREATE TABLE resource_version (
                    resource_key     INTEGER NOT NULL REFERENCES resource (resource_key),
                    version          INTEGER NOT NULL,
                    last_updated     TEXT NOT NULL,
                    received_format  TEXT NOT NULL CHECK (received_format IN ('json', 'xml')),
                    received_bytes   BLOB NOT NULL,
                    content_json     BLOB NOT NULL,
                    PRIMARY KEY (resource_key, version)
                ) STRICT, WITHOUT ROWID;

                -- The patients a resource belongs to (the FHIR Patient compartment).
                CREATE TABLE patient_compartment (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    patient_id    TEXT NOT NULL,
                    PRIMARY KEY (patient_id, resource_key)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX patient_compartment_by_resource ON patient_compartment (resource_key);

                -- Every reference a resource makes, searchable or not: decides which shared resources
                -- (practitioners, organisations, medications) a patient's data points at.
                CREATE TABLE resource_link (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    target_type   TEXT NOT NULL,
                    target_id     TEXT NOT NULL
                ) STRICT;
                CREATE INDEX resource_link_by_target ON resource_link (target_type, target_id);
                CREATE INDEX resource_link_by_source ON resource_link (resource_key);

                CREATE TABLE token_index (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    param         TEXT NOT NULL,
                    system        TEXT,
                    code          TEXT NOT NULL
                ) STRICT;
                CREATE INDEX token_index_lookup ON token_index (param, code, system);
                CREATE INDEX token_index_by_resource ON token_index (resource_key);

                CREATE TABLE string_index (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    param         TEXT NOT NULL,
                    value         TEXT NOT NULL
                ) STRICT;
                CREATE INDEX string_index_lookup ON string_index (param, value);
                CREATE INDEX string_index_by_resource ON string_index (resource_key);

                CREATE TABLE date_index (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    param         TEXT NOT NULL,
                    low_ms        INTEGER NOT NULL,
                    high_ms       INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX date_index_lookup ON date_index (param, low_ms);
                CREATE INDEX date_index_by_resource ON date_index (resource_key);

                CREATE TABLE reference_index (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    param         TEXT NOT NULL,
                    target_type   TEXT,
                    target_id     TEXT NOT NULL,
                    url           TEXT NOT NULL
                ) STRICT;
                CREATE INDEX reference_index_lookup ON reference_index (param, target_id, target_type);
                CREATE INDEX reference_index_by_resource ON reference_index (resource_key);

                CREATE TABLE quantity_index (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    param         TEXT NOT NULL,
                    value         REAL NOT NULL,
                    system        TEXT,
                    code          TEXT
                ) STRICT;
                CREATE INDEX quantity_index_lookup ON quantity_index (param, value);
                CREATE INDEX quantity_index_by_resource ON quantity_index (resource_key);

                CREATE TABLE uri_index (
                    resource_key  INTEGER NOT NULL REFERENCES resource (resource_key),
                    param         TEXT NOT NULL,
                    value         TEXT NOT NULL
                ) STRICT;
                CREATE INDEX uri_index_lookup ON uri_index (param, value);
                CREATE INDEX uri_index_by_resource ON uri_index (resource_key);

                -- Parties that may connect on the back channel, identified by their certificate.
                CREATE TABLE party (
                    party_id      TEXT PRIMARY KEY NOT NULL,
                    kind          TEXT NOT NULL CHECK (kind IN ('organization', 'app', 'auditor', 'operator')),
                    display_name  TEXT NOT NULL,
                    ura           TEXT UNIQUE,
                    client_id     TEXT UNIQUE,
                    status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE party_certificate (
                    fingerprint_sha256  TEXT PRIMARY KEY NOT NULL,
                    party_id            TEXT NOT NULL REFERENCES party (party_id),
                    subject             TEXT NOT NULL,
                    not_valid_after     TEXT NOT NULL,
                    status              TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked'))
                ) STRICT;
                CREATE INDEX party_certificate_by_party ON party_certificate (party_id);

                -- Access tokens, stored only as SHA-256 hashes of the token text.
                CREATE TABLE access_token (
                    token_hash              BLOB PRIMARY KEY NOT NULL,
                    party_id                TEXT NOT NULL REFERENCES party (party_id),
                    certificate_fingerprint TEXT NOT NULL,
                    patient_id              TEXT NOT NULL,
                    issued_at_ms            INTEGER NOT NULL,
                    expires_at_ms           INTEGER NOT NULL,
                    revoked                 INTEGER NOT NULL DEFAULT 0
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2: masked view for PGO apps") { db in
            // The resource as PGO apps receive it (BSN masked), when it differs from content_json.
            try db.execute(sql: "ALTER TABLE resource_version ADD COLUMN masked_json BLOB")
        }
        migrator.registerMigration("v3: creation time, exact strings, STU3 patient compartment") { db in
            try db.execute(sql: """
                -- When the resource was first stored. Search paging bounds its snapshot on creation, so
                -- that a resource updated while a client pages stays in the result.
                ALTER TABLE resource ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
                UPDATE resource SET created_ms = COALESCE(
                    (SELECT CAST(round((julianday(v.last_updated) - 2440587.5) * 86400000.0) AS INTEGER)
                     FROM resource_version v WHERE v.resource_key = resource.resource_key AND v.version = 1),
                    last_updated_ms);
                CREATE INDEX resource_by_type_created ON resource (type, created_ms);

                -- The text as written, which `:exact` compares (`value` keeps the normalized form).
                ALTER TABLE string_index ADD COLUMN value_exact TEXT NOT NULL DEFAULT '';
                CREATE INDEX string_index_exact ON string_index (param, value_exact);
                """)
            // Exact strings, compartments (now the whole STU3 definition) and links (now local
            // references only) are derived from content: re-derive them for every current version,
            // once every migration has run (the index tables of today's schema are what gets written).
            try IndexBackfill.schedule(db)
        }
        migrator.registerMigration("v4: imported PZCs") { db in
            try db.execute(sql: """
                -- Personal care communities imported from exports, and the resources each import produced,
                -- so a re-import can report entries that disappeared (they are kept, not deleted).
                CREATE TABLE pzc (
                    pzc_id               TEXT PRIMARY KEY NOT NULL,
                    title                TEXT NOT NULL,
                    patient_resource_id  TEXT NOT NULL,
                    patient_name         TEXT NOT NULL,
                    bsn                  TEXT,
                    imported_at          TEXT NOT NULL,
                    entry_counts         TEXT NOT NULL
                ) STRICT;

                CREATE TABLE pzc_resource (
                    pzc_id         TEXT NOT NULL REFERENCES pzc (pzc_id),
                    resource_type  TEXT NOT NULL,
                    resource_id    TEXT NOT NULL,
                    entry_id       TEXT NOT NULL,
                    removed_at     TEXT,
                    PRIMARY KEY (pzc_id, resource_type, resource_id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        registerConsentMigrations(&migrator)
        registerAuthorizationMigrations(&migrator)
        registerListMigrations(&migrator)
        registerLoginLockoutMigrations(&migrator)
        registerPushMigrations(&migrator)
        registerCollectMigrations(&migrator)
        registerStorageMigrations(&migrator)
        return migrator
    }
}
