import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

import Store

/// `GatewayDatabase.lookup` runs point lookups on the calling thread. With one connection for all
/// of them, concurrent requests waited for each other's lookups; these tests hold that lookups on
/// different threads run at the same time, and that the connections behave as one database.
@Suite("Point lookups on the calling thread")
struct LookupConnectionTests {
    @Test("a lookup on one thread does not wait for a lookup still running on another")
    func lookupsRunSideBySide() throws {
        let database = try makeDatabase()
        let started = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        let outcome = Mutex<DispatchTimeoutResult?>(nil)
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) {
            let waited = try? database.lookup { _ in
                started.signal()
                return released.wait(timeout: .now() + 5)
            }
            outcome.withLock { $0 = waited }
        }
        #expect(started.wait(timeout: .now() + 5) == .success)
        // With a single lookup connection this would queue behind the lookup above until that one
        // gave up waiting for it.
        try database.lookup { db in
            _ = try Int.fetchOne(db, sql: "SELECT 1")
            released.signal()
        }
        done.wait()
        #expect(outcome.withLock { $0 } == .success)
    }

    @Test("many concurrent lookups all see what was written before them")
    func concurrentLookupsSeeCommittedWrites() throws {
        let database = try makeDatabase()
        try database.pool.write { db in
            try db.execute(sql: "CREATE TABLE lookup_probe (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
            for id in 0..<64 { try db.execute(sql: "INSERT INTO lookup_probe VALUES (?, ?)", arguments: [id, "value-\(id)"]) }
        }
        let found = Mutex<[Int: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 64) { id in
            let value = try? database.lookup { db in
                try String.fetchOne(db, sql: "SELECT value FROM lookup_probe WHERE id = ?", arguments: [id])
            }
            found.withLock { $0[id] = value ?? nil }
        }
        let values = found.withLock { $0 }
        #expect(values.count == 64)
        #expect(values.allSatisfy { $0.value == "value-\($0.key)" })
    }

    @Test("a lookup after close fails instead of reopening the database")
    func lookupAfterCloseFails() throws {
        let database = try makeDatabase()
        #expect(try database.lookup { db in try Int.fetchOne(db, sql: "SELECT 1") } == 1)
        try database.close()
        #expect(throws: DatabaseError.self) { try database.lookup { db in try Int.fetchOne(db, sql: "SELECT 1") } }
    }
}
