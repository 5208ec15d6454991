import GRDB

extension GatewayDatabase {
    /// EPD push intake: kept bundles, idempotency and provenance. (Filled in with the push intake.)
    static func registerPushMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
