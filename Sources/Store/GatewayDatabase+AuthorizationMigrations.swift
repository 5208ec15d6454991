import GRDB

extension GatewayDatabase {
    /// The OAuth authorization server's state: authorization codes, grants, refresh tokens, login
    /// accounts (second factor) and portal sessions. Secrets are stored only as hashes.
    static func registerAuthorizationMigrations(_ migrator: inout DatabaseMigrator) {
        _ = migrator
    }
}
