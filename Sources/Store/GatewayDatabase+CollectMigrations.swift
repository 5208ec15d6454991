import GRDB

extension GatewayDatabase {
    /// Collecting from providers (the PGO-side role): local endpoint settings, the collect client's
    /// identity, pending authorizations, sealed refresh tokens, per-query outcomes and provenance; and
    /// the explicit redirect URIs an operator may register for an app party.
    static func registerCollectMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10: provider endpoints and collect") { db in
            // What the ZAL does not carry: the anchors the provider's server certificate must chain to
            // and which of our client certificates to present. The three URLs are used only for a
            // provider the ZAL in force does not list (a pilot, a test on loopback).
            try db.execute(
                sql: """
                    CREATE TABLE provider_endpoint (
                        provider_name TEXT NOT NULL,
                        data_service_id TEXT NOT NULL,
                        ura TEXT,
                        display_name TEXT,
                        trust_anchors_path TEXT NOT NULL,
                        client_certificate_path TEXT NOT NULL,
                        client_key_path TEXT NOT NULL,
                        authorization_endpoint TEXT,
                        token_endpoint TEXT,
                        resource_endpoint TEXT,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (provider_name, data_service_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE collect_client (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        client_id TEXT NOT NULL,
                        redirect_uri TEXT NOT NULL
                    );
                    CREATE TABLE collect_pending (
                        state_hash TEXT PRIMARY KEY NOT NULL,
                        binding_hash TEXT NOT NULL,
                        patient_id TEXT NOT NULL,
                        provider_name TEXT NOT NULL,
                        data_service_id TEXT NOT NULL,
                        correlation_id TEXT NOT NULL,
                        created_at_ms INTEGER NOT NULL,
                        used_at_ms INTEGER
                    ) WITHOUT ROWID;
                    CREATE TABLE collect_grant (
                        patient_id TEXT NOT NULL,
                        provider_name TEXT NOT NULL,
                        data_service_id TEXT NOT NULL,
                        sealed_refresh_token BLOB,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (patient_id, provider_name, data_service_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE collect_query_outcome (
                        run_id TEXT NOT NULL,
                        patient_id TEXT NOT NULL,
                        provider_name TEXT NOT NULL,
                        query_number INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        resources INTEGER NOT NULL,
                        refused INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        detail TEXT,
                        finished_at TEXT NOT NULL,
                        PRIMARY KEY (run_id, query_number)
                    ) WITHOUT ROWID;
                    CREATE INDEX collect_query_outcome_by_patient ON collect_query_outcome (patient_id, finished_at);
                    CREATE TABLE collected_provenance (
                        resource_type TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        patient_id TEXT NOT NULL,
                        provider_name TEXT NOT NULL,
                        source_ura TEXT,
                        source_reference TEXT NOT NULL,
                        query_number INTEGER NOT NULL,
                        query TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        collected_at TEXT NOT NULL,
                        PRIMARY KEY (resource_type, resource_id, version)
                    ) WITHOUT ROWID;
                    CREATE TABLE party_redirect_uri (
                        party_id TEXT NOT NULL REFERENCES party (party_id) ON DELETE CASCADE,
                        redirect_uri TEXT NOT NULL,
                        PRIMARY KEY (party_id, redirect_uri)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v11: share selections") { db in
            // Sharing (MedMij Delen) waits at the provider like collecting does; what the patient chose
            // to send is kept with the pending authorization (a JSON array of Observation ids), so the
            // callback sends exactly that and nothing a form could add later.
            try db.execute(sql: "ALTER TABLE collect_pending ADD COLUMN selection TEXT")
        }
    }
}
