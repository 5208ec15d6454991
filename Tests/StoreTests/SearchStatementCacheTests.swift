import Foundation
import GRDB
import Testing

@testable import Store

/// Search SQL is kept prepared only up to a bound, since clients choose the query shapes.
@Suite("Search statement cache")
struct SearchStatementCacheTests {
    @Test("texts are admitted up to the capacity; an admitted text stays admitted, a new one past it is not")
    func boundedAdmission() {
        let cache = SearchStatementCache(capacity: 2)
        #expect(cache.admits("SELECT 1"))
        #expect(cache.admits("SELECT 2"))
        #expect(!cache.admits("SELECT 3"))
        #expect(cache.admits("SELECT 1"))
        #expect(!cache.admits("SELECT 3"))
    }

    @Test("an admitted text comes from the connection's cache; past the capacity a statement is prepared for its one use")
    func cachedOrPreparedAnew() async throws {
        let database = try makeDatabase()
        let cache = SearchStatementCache(capacity: 1)
        let admitted = "SELECT count(*) FROM resource WHERE type = ?"
        let refused = "SELECT count(*) FROM resource WHERE id = ?"
        try await database.pool.read { db in
            let first = try db.searchStatement(admitted, admittedBy: cache)
            #expect(try db.searchStatement(admitted, admittedBy: cache) === first)
            let once = try db.searchStatement(refused, admittedBy: cache)
            #expect(try db.searchStatement(refused, admittedBy: cache) !== once)
            #expect(try Int.fetchOne(once, arguments: ["p1"]) == 0)
            #expect(try Int.fetchOne(first, arguments: ["Patient"]) == 0)
        }
    }
}
