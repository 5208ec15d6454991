import GRDB

extension GatewayDatabase {
    /// Wrong second-factor codes counted per account, not per browser session: a new session must not
    /// buy an attacker a fresh set of guesses at a six-digit code.
    static func registerLoginLockoutMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8: second-factor lockout per account") { db in
            try db.execute(sql: """
                ALTER TABLE login_account ADD COLUMN failed_codes INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE login_account ADD COLUMN locked_until_ms INTEGER;
                """)
        }
    }
}
