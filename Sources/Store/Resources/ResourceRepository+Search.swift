import FHIR
import GRDB

/// Which slice of a search result to return. Resources changed after `snapshotMilliseconds` are left
/// out, so that the pages of one search neither repeat nor skip resources as data changes.
public struct SearchPage: Sendable, Hashable {
    public var offset: Int
    public var count: Int
    public var snapshotMilliseconds: Int64

    public init(offset: Int, count: Int, snapshotMilliseconds: Int64) {
        self.offset = offset
        self.count = count
        self.snapshotMilliseconds = snapshotMilliseconds
    }
}

public struct SearchResult: Sendable {
    /// The matches on this page, in order.
    public var matches: [StoredResource]
    /// Resources added by `_include`, each visible to the caller's scope.
    public var includes: [StoredResource]
    /// All matches visible to the scope, over every page.
    public var total: Int
}

extension ResourceRepository {
    /// Runs a search within an access scope. The scope filters matches and included resources alike:
    /// nothing leaves through `_include` that could not be read directly.
    ///
    /// ```swift
    /// let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("code", "http://loinc.org|85354-9")])
    /// let result = try await repository.search(query, scope: .patient(id: "p1"),
    ///                                          page: SearchPage(offset: 0, count: 50, snapshotMilliseconds: now))
    /// ```
    public func search(_ query: SearchQuery, scope: AccessScope, page: SearchPage) async throws -> SearchResult {
        var sql = SearchSQL()
        sql.add("r.type = ?", [query.resourceType])
        sql.add("r.last_updated_ms <= ?", [page.snapshotMilliseconds])
        if case .patient(let patientID) = scope {
            sql.add(Visibility.sql("r"), Visibility.arguments(patientID))
        }
        for clause in query.clauses {
            sql.add(clause)
        }
        let (order, orderArguments) = SearchSQL.orderBy(query.sort)
        let filter = sql
        return try await database.pool.read { db in
            let total = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM resource r WHERE \(filter.whereClause)", arguments: filter.arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.resource_key, r.type, r.id, v.version, v.last_updated, \(scope.contentColumn("v"))
                    FROM resource r JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                    WHERE \(filter.whereClause)
                    ORDER BY \(order)
                    LIMIT ? OFFSET ?
                    """,
                arguments: filter.arguments + orderArguments + [page.count, page.offset])
            let keys: [Int64] = rows.map { $0["resource_key"] }
            let matches = rows.map { StoredResource(type: $0["type"], id: $0["id"], row: $0) }
            let includes = try Self.includes(db, for: query.includes, of: keys, scope: scope)
            return SearchResult(matches: matches, includes: includes, total: total)
        }
    }

    static func includes(_ db: Database, for requests: [IncludeRequest], of keys: [Int64], scope: AccessScope) throws
        -> [StoredResource]
    {
        guard !keys.isEmpty, !requests.isEmpty else { return [] }
        var seen = Set(keys)
        var included = [StoredResource]()
        let placeholders = databaseQuestionMarks(count: keys.count)
        for request in requests {
            var conditions = ["ri.resource_key IN (\(placeholders))", "ri.param = ?", "t.resource_key IS NOT NULL"]
            var arguments = StatementArguments(keys) + [request.parameter]
            if let target = request.targetType {
                conditions.append("t.type = ?")
                arguments += [target]
            }
            if case .patient(let patientID) = scope {
                conditions.append(Visibility.sql("t"))
                arguments += Visibility.arguments(patientID)
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT t.resource_key, t.type, t.id, v.version, v.last_updated, \(scope.contentColumn("v"))
                    FROM reference_index ri
                    JOIN resource t ON t.type = ri.target_type AND t.id = ri.target_id
                    JOIN resource_version v ON v.resource_key = t.resource_key AND v.version = t.current_version
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY t.type, t.id
                    """,
                arguments: arguments)
            for row in rows where seen.insert(row["resource_key"]).inserted {
                included.append(StoredResource(type: row["type"], id: row["id"], row: row))
            }
        }
        return included
    }
}
