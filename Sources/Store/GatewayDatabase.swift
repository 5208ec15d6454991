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
    /// The connections ``lookup(_:)`` runs on, each opened at its first use.
    private let lookupConnections = LookupConnections()

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
    /// here instead, on read-only connections of its own: the pool's readers are held across
    /// suspension points by async reads, so a thread blocked waiting for one of them could wait for a
    /// task that needs that very thread to resume. Nothing holding a lookup connection ever suspends,
    /// so a lookup waits at most for the lookups ahead of it. There is one lookup connection per core:
    /// with a single one, concurrent requests queued behind each other on its dispatch queue, and a
    /// profile of 16 connections reading by id showed 10% of the gateway's time in that wait. Only
    /// for lookups bounded by an index; anything that can scan (search, `$lastn`, exports) stays on
    /// the pool.
    ///
    /// ```swift
    /// let count = try database.lookup { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM party") }
    /// ```
    public func lookup<T>(_ value: (Database) throws -> T) throws -> T {
        try lookupConnections.read(path: path, value)
    }

    /// Checkpoints the WAL into the main file and closes every connection; used on shutdown so the
    /// data directory is left as one tidy file per database.
    public func close() throws {
        _ = try pool.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
        }
        try lookupConnections.close()
        try pool.close()
    }
}

/// The read-only connections behind ``GatewayDatabase/lookup(_:)``, shared by every copy of a
/// database value, each opened when it is first needed.
///
/// A lookup claims an idle connection through a bit in ``busy`` so that lookups on different threads
/// run side by side. When every connection is claimed it waits on one of them: a `DatabaseQueue`
/// runs one closure at a time, so the bit is only a hint for spreading the work, never what keeps
/// two lookups off one connection.
private final class LookupConnections: Sendable {
    private let count: Int
    private let everySlot: UInt64
    private let state: Mutex<(queues: [DatabaseQueue?], closed: Bool)>
    private let busy = Atomic<UInt64>(0)
    private let nextWhenAllBusy = Atomic<Int>(0)

    init() {
        count = min(max(ProcessInfo.processInfo.activeProcessorCount, 2), 16)
        everySlot = (UInt64(1) << count) - 1
        state = Mutex((Array(repeating: nil, count: count), false))
    }

    func read<T>(path: String, _ value: (Database) throws -> T) throws -> T {
        let slot = claimIdleSlot()
        defer { if let slot { busy.bitwiseAnd(~(UInt64(1) << slot), ordering: .releasing) } }
        let index = slot ?? nextWhenAllBusy.wrappingAdd(1, ordering: .relaxed).oldValue % count
        return try queue(index, path: path).read(value)
    }

    func close() throws {
        let queues = state.withLock { state in
            defer { state = ([], true) }
            return state.queues
        }
        for queue in queues { try queue?.close() }
    }

    private func claimIdleSlot() -> Int? {
        var claimed = busy.load(ordering: .relaxed)
        while true {
            let idle = ~claimed & everySlot
            guard idle != 0 else { return nil }
            let slot = idle.trailingZeroBitCount
            let (exchanged, original) = busy.compareExchange(
                expected: claimed, desired: claimed | (UInt64(1) << slot), ordering: .acquiring)
            if exchanged { return slot }
            claimed = original
        }
    }

    private func queue(_ index: Int, path: String) throws -> DatabaseQueue {
        try state.withLock { state in
            guard !state.closed else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the gateway database is closed") }
            if let queue = state.queues[index] { return queue }
            var configuration = Configuration()
            configuration.label = "gateway-lookup-\(index)"
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            state.queues[index] = queue
            return queue
        }
    }
}
