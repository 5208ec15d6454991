import GRDB

extension Database {
    /// Executes `sql` through this connection's statement cache: the text is parsed once per
    /// connection and the prepared statement reused, where `execute(sql:)` parses it every time.
    /// For the fixed statements a write runs once per resource or index row, parsing would otherwise
    /// cost as much as the insert itself.
    ///
    /// ```swift
    /// try db.execute(cachedSQL: "INSERT INTO uri_index (resource_key, param, value) VALUES (?, ?, ?)",
    ///                arguments: [key, "url", url])
    /// ```
    ///
    /// Only for SQL with a fixed text: every distinct text stays in the cache for the connection's life.
    func execute(cachedSQL sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
