import GRDB

extension GatewayDatabase {
    /// Collecting from providers: endpoints, authorizations and sealed tokens. (Filled in with the collect flow.)
    static func registerCollectMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
