import FHIR
import GRDB

/// Which slice of a search result to return: `count` matches after `after` (or from the start),
/// among the resources created up to `snapshotMilliseconds`. The snapshot is fixed on the first
/// page and travels in the cursor, so every page of one search counts the same resources.
public struct SearchPage: Sendable, Hashable {
    public var count: Int
    public var snapshotMilliseconds: Int64
    public var after: SearchCursor?

    /// The first page of a search.
    public init(count: Int, snapshotMilliseconds: Int64) {
        self.count = count
        self.snapshotMilliseconds = snapshotMilliseconds
        self.after = nil
    }

    /// The page after `cursor`, within the cursor's snapshot.
    public init(count: Int, after cursor: SearchCursor) {
        self.count = count
        self.snapshotMilliseconds = cursor.snapshotMilliseconds
        self.after = cursor
    }
}

public struct SearchResult: Sendable {
    /// The matches on this page, in order.
    public var matches: [StoredResource]
    /// Resources added by `_include`, each visible to the caller's scope.
    public var includes: [StoredResource]
    /// All matches visible to the scope among the resources created up to the snapshot, over every page.
    public var total: Int
    /// Where the next page starts; nil on the last page.
    public var next: SearchCursor?
}

extension ResourceRepository {
    /// Runs a search within an access scope. The scope filters matches and included resources alike:
    /// nothing leaves through `_include` that could not be read directly.
    ///
    /// ```swift
    /// let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("code", "http://loinc.org|85354-9")])
    /// let result = try await repository.search(query, scope: .patient(id: "p1"),
    ///                                          page: SearchPage(count: 50, snapshotMilliseconds: now))
    /// ```
    ///
    /// - Throws: ``SearchCursorError`` when `page.after` does not fit the query's sort keys.
    public func search(_ query: SearchQuery, scope: AccessScope, page: SearchPage) async throws -> SearchResult {
        let statement = try SearchStatement(
            query: query, scope: scope, snapshotMilliseconds: page.snapshotMilliseconds, after: page.after, limit: page.count + 1)
        return try await database.pool.read { db in
            let total = try Int.fetchOne(db.searchStatement(statement.countSQL), arguments: statement.countArguments) ?? 0
            var rows = try Row.fetchAll(db.searchStatement(statement.sql), arguments: statement.arguments)
            // One row more than asked tells whether another page follows.
            var next: SearchCursor?
            if rows.count > page.count {
                rows.removeLast(rows.count - page.count)
                next = rows.last.map { statement.cursor(after: $0, snapshotMilliseconds: page.snapshotMilliseconds) }
            }
            let keys: [Int64] = rows.map { $0["resource_key"] }
            let matches = rows.map { StoredResource(type: $0["type"], id: $0["id"], row: $0) }
            let includes = try Self.includes(db, for: query.includes, of: keys, scope: scope)
            return SearchResult(matches: matches, includes: includes, total: total, next: next)
        }
    }

    static func includes(_ db: Database, for requests: [IncludeRequest], of keys: [Int64], scope: AccessScope) throws
        -> [StoredResource]
    {
        guard !keys.isEmpty, !requests.isEmpty else { return [] }
        var seen = Set(keys)
        var included = [StoredResource]()
        for request in requests {
            let statement = includeStatement(request, of: keys, scope: scope, withReferrer: false)
            let rows = try Row.fetchAll(db.searchStatement(statement.sql), arguments: statement.arguments)
            for row in rows where seen.insert(row["resource_key"]).inserted {
                included.append(StoredResource(type: row["type"], id: row["id"], row: row))
            }
        }
        return included
    }
}

extension ResourceRepository {
    /// The resources that `_include` request `request` reaches from the resources `keys` and that
    /// `scope` may see, with their current version, ordered by type and id. With `withReferrer`, each
    /// comes once per referring key (column `referrer_key`).
    ///
    /// It starts from the keys' own references (`INDEXED BY`: SQLite would otherwise start from every
    /// reference with this parameter in the database, since `reference_index_lookup` is led by `param`;
    /// CROSS JOIN: with a target type it would start from every resource of that type).
    static func includeStatement(_ request: IncludeRequest, of keys: [Int64], scope: AccessScope, withReferrer: Bool)
        -> (sql: String, arguments: StatementArguments)
    {
        var conditions = ["ri.resource_key IN (\(databaseQuestionMarks(count: keys.count)))", "ri.param = ?", "t.resource_key IS NOT NULL"]
        var arguments = StatementArguments(keys) + [request.parameter]
        if let target = request.targetType {
            conditions.append("t.type = ?")
            arguments += [target]
        }
        if case .patient(let patientID) = scope {
            conditions.append(Visibility.sql("t"))
            arguments += Visibility.arguments(patientID)
        }
        let referrer = withReferrer ? ", ri.resource_key AS referrer_key" : ""
        let sql = """
            SELECT DISTINCT t.resource_key, t.type, t.id, v.version, v.last_updated, \(scope.contentColumn("v"))\(referrer)
            FROM reference_index ri INDEXED BY reference_index_by_resource
            CROSS JOIN resource t ON t.type = ri.target_type AND t.id = ri.target_id
            JOIN resource_version v ON v.resource_key = t.resource_key AND v.version = t.current_version
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY t.type, t.id\(withReferrer ? ", ri.resource_key" : "")
            """
        return (sql, arguments)
    }
}
