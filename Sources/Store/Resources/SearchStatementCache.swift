import GRDB
import Synchronization

/// Which generated search SQL texts are kept prepared on the connections.
///
/// A search's SQL text depends on the shape of its query (parameters, modifiers, how many values, the
/// scope, how many keys an `_include` starts from), never on the values, which are bound. PGOs ask the
/// same few dozen shapes again and again (the BgZ's 28 queries), so parsing each anew is waste. But a
/// text in GRDB's statement cache stays there for the connection's life, and clients choose the shapes:
/// so the first ``capacity`` distinct texts this process sees are admitted to the cache, and later ones
/// are prepared for their one use. That bounds the cache at ``capacity`` statements per connection.
final class SearchStatementCache: Sendable {
    /// The one the repositories use.
    static let shared = SearchStatementCache(capacity: 512)

    let capacity: Int
    private let admitted = Mutex<Set<String>>([])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Whether `sql` may be kept prepared: it was admitted before, or there is room for it now.
    func admits(_ sql: String) -> Bool {
        admitted.withLock { texts in
            if texts.contains(sql) { return true }
            guard texts.count < capacity else { return false }
            texts.insert(sql)
            return true
        }
    }
}

extension Database {
    /// A statement for generated search SQL: from this connection's statement cache when
    /// ``SearchStatementCache`` admits its text, otherwise prepared for this one use.
    ///
    /// ```swift
    /// let total = try Int.fetchOne(db.searchStatement(statement.countSQL), arguments: statement.countArguments)
    /// ```
    ///
    /// Only for statements read to their end at once (`fetchAll`, `fetchOne`): a cached statement is
    /// reset when it is asked for again, which would cut short a cursor still reading it.
    func searchStatement(_ sql: String, admittedBy cache: SearchStatementCache = .shared) throws -> Statement {
        cache.admits(sql) ? try cachedStatement(sql: sql) : try makeStatement(sql: sql)
    }
}
