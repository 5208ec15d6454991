import Foundation
import GRDB
import Synchronization

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
    /// The connection ``lookup(_:)`` runs on, opened at its first use.
    private let lookupConnection = LookupConnection()

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "gateway"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try GatewayDatabase.migrator.migrate(pool)
        try pool.write { db in try IndexBackfill.runIfScheduled(db) }
        self.pool = pool
        self.path = path
    }

    /// Runs an indexed point lookup on the calling thread: the token, the consent versions and the
    /// resource that every read by id needs.
    ///
    /// `pool.read` in its async form hands the work to a reader's dispatch queue and resumes the task
    /// afterwards: two thread switches around a query of some microseconds, which a profile of reads
    /// by id showed as most of the gateway's own time (futex waits and wake-ups). A lookup runs right
    /// here instead, on a read-only connection of its own: the pool's readers are held across
    /// suspension points by async reads, so a thread blocked waiting for one of them could wait for a
    /// task that needs that very thread to resume. Nothing holding the lookup connection ever
    /// suspends, so a lookup waits at most for the lookups ahead of it. Only for lookups bounded by an
    /// index; anything that can scan (search, `$lastn`, exports) stays on the pool.
    ///
    /// ```swift
    /// let count = try database.lookup { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM party") }
    /// ```
    public func lookup<T>(_ value: (Database) throws -> T) throws -> T {
        try lookupConnection.queue(path: path).read(value)
    }

    /// Checkpoints the WAL into the main file and closes every connection; used on shutdown so the
    /// data directory is left as one tidy file per database.
    public func close() throws {
        _ = try pool.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
        }
        try lookupConnection.close()
        try pool.close()
    }
}

/// The read-only connection behind ``GatewayDatabase/lookup(_:)``, shared by every copy of a
/// database value and opened only when a lookup is first made.
private final class LookupConnection: Sendable {
    private let state = Mutex<(queue: DatabaseQueue?, closed: Bool)>((nil, false))

    func queue(path: String) throws -> DatabaseQueue {
        try state.withLock { state in
            if let queue = state.queue { return queue }
            guard !state.closed else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the gateway database is closed") }
            var configuration = Configuration()
            configuration.label = "gateway-lookup"
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            state.queue = queue
            return queue
        }
    }

    func close() throws {
        let queue = state.withLock { state in
            defer { state = (nil, true) }
            return state.queue
        }
        try queue?.close()
    }
}
