import GRDB

extension GatewayDatabase {
    /// The OAuth authorization server's state: authorization codes, grants, refresh tokens, login
    /// accounts (second factor) and portal sessions. Secrets are stored only as hashes; the one secret
    /// the gateway must be able to read back (a TOTP seed) is stored sealed with AES-GCM.
    static func registerAuthorizationMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: authorization server") { db in
            try db.execute(sql: """
                -- What a patient granted one PGO app in one authorization: the tokens issued under it die with it.
                CREATE TABLE oauth_grant (
                    grant_id           TEXT PRIMARY KEY NOT NULL,
                    party_id           TEXT NOT NULL REFERENCES party (party_id),
                    client_id          TEXT NOT NULL,
                    patient_id         TEXT NOT NULL,
                    consent_id         TEXT NOT NULL,
                    scope              TEXT NOT NULL,
                    redirect_uri       TEXT NOT NULL,
                    -- 1 when refresh tokens may be issued (any period but "this time only").
                    offline            INTEGER NOT NULL CHECK (offline IN (0, 1)),
                    created_at_ms      INTEGER NOT NULL,
                    -- The end of the consent period; NULL: until the patient revokes it.
                    expires_at_ms      INTEGER,
                    revoked_at_ms      INTEGER,
                    revocation_reason  TEXT
                ) STRICT;
                CREATE INDEX oauth_grant_by_patient ON oauth_grant (patient_id, created_at_ms);
                CREATE INDEX oauth_grant_by_consent ON oauth_grant (consent_id);

                -- Authorization codes: single use, short-lived; client, redirect URI and patient come from the grant.
                CREATE TABLE oauth_code (
                    code_hash      BLOB PRIMARY KEY NOT NULL,
                    grant_id       TEXT NOT NULL REFERENCES oauth_grant (grant_id),
                    expires_at_ms  INTEGER NOT NULL,
                    used_at_ms     INTEGER
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX oauth_code_by_grant ON oauth_code (grant_id);

                -- Refresh tokens rotate: each use marks the old one used and issues a new one.
                CREATE TABLE refresh_token (
                    token_hash     BLOB PRIMARY KEY NOT NULL,
                    grant_id       TEXT NOT NULL REFERENCES oauth_grant (grant_id),
                    issued_at_ms   INTEGER NOT NULL,
                    expires_at_ms  INTEGER,
                    used_at_ms     INTEGER,
                    revoked        INTEGER NOT NULL DEFAULT 0
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX refresh_token_by_grant ON refresh_token (grant_id);

                -- Access tokens issued under a grant; NULL for tokens issued by hand (`zorgnet token issue`).
                ALTER TABLE access_token ADD COLUMN grant_id TEXT REFERENCES oauth_grant (grant_id);
                CREATE INDEX access_token_by_grant ON access_token (grant_id);

                -- Second factors of people who log in on the front channel (TOTP, sealed with AES-GCM).
                CREATE TABLE login_account (
                    account_id       TEXT PRIMARY KEY NOT NULL,
                    totp_sealed      BLOB NOT NULL,
                    -- NULL until the first correct code: an unconfirmed enrolment may still be replaced.
                    confirmed_at_ms  INTEGER,
                    last_time_step   INTEGER,
                    created_at_ms    INTEGER NOT NULL
                ) STRICT;

                -- Browser sessions, by the SHA-256 hash of the cookie value.
                CREATE TABLE front_session (
                    session_hash     BLOB PRIMARY KEY NOT NULL,
                    created_at_ms    INTEGER NOT NULL,
                    last_seen_at_ms  INTEGER NOT NULL,
                    expires_at_ms    INTEGER NOT NULL,
                    data_json        BLOB NOT NULL
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX front_session_by_expiry ON front_session (expires_at_ms);
                """)
        }
    }
}
