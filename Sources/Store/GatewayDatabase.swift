import Foundation
import GRDB

/// The gateway's clinical database, `gateway.sqlite` under the data directory.
///
/// SQLite in WAL mode through a GRDB `DatabasePool`: one writer, several concurrent readers. The
/// schema lives in ``GatewayDatabase/migrator`` and nowhere else.
///
/// ```swift
/// let database = try GatewayDatabase(path: "/var/lib/zorgnet/gateway.sqlite")
/// let resources = ResourceRepository(database: database)
/// ```
public struct GatewayDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "gateway"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try GatewayDatabase.migrator.migrate(pool)
        self.pool = pool
        self.path = path
    }

    /// Checkpoints the WAL into the main file and closes every connection; used on shutdown so the
    /// data directory is left as one tidy file per database.
    public func close() throws {
        _ = try pool.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
        }
        try pool.close()
    }
}
