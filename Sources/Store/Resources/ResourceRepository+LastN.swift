import FHIR
import GRDB

extension ResourceRepository {
    /// `Observation/$lastn`: of the observations matching `query`, the `max` most recent for each code.
    ///
    /// Observations are grouped by the codes the query asks for (`code=…`, every alternative); without a
    /// `code` parameter, by every code they carry (all codings of `Observation.code`). An observation
    /// that falls in several groups is returned once. A height carrying both the generic height code
    /// and a lying-height code is thus, under `code=8302-2`, only a height. "Most recent" is the end of its effective time; observations without one come
    /// last. The result is bounded by codes × `max`, so it is returned whole, never paged.
    ///
    /// ```swift
    /// let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("code", "http://loinc.org|85354-9")])
    /// let latest = try await repository.lastN(query, max: 1, scope: .patient(id: "p1"))
    /// ```
    public func lastN(_ query: SearchQuery, max: Int, scope: AccessScope, snapshotMilliseconds: Int64 = .max) async throws
        -> SearchResult
    {
        let ranking = Self.lastNRanking(query, max: max, scope: scope, snapshotMilliseconds: snapshotMilliseconds)
        return try await database.pool.read { db in
            let keys = try Int64.fetchAll(db, sql: ranking.sql, arguments: ranking.arguments)
            guard !keys.isEmpty else { return SearchResult(matches: [], includes: [], total: 0) }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.resource_key, r.type, r.id, v.version, v.last_updated, \(scope.contentColumn("v"))
                    FROM resource r JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                    WHERE r.resource_key IN (\(databaseQuestionMarks(count: keys.count)))
                    """,
                arguments: StatementArguments(keys))
            var byKey = [Int64: StoredResource]()
            for row in rows { byKey[row["resource_key"]] = StoredResource(type: row["type"], id: row["id"], row: row) }
            let matches = keys.compactMap { byKey[$0] }
            let includes = try Self.includes(db, for: query.includes, of: keys, scope: scope)
            return SearchResult(matches: matches, includes: includes, total: matches.count)
        }
    }
}

extension ResourceRepository {
    /// The keys `$lastn` returns, in result order: the statement behind ``lastN(_:max:scope:snapshotMilliseconds:)``.
    ///
    /// Ranks within each (system, code) by effective end, newest first; ties by id for stability. The
    /// candidates are computed first (MATERIALIZED: each effective end once) and only they are ranked:
    /// CROSS JOIN keeps them the outer loop and their codes are read by resource. Otherwise SQLite
    /// starts from every `code` row in the database, every patient's, and ranks them all.
    static func lastNRanking(_ query: SearchQuery, max: Int, scope: AccessScope, snapshotMilliseconds: Int64)
        -> (sql: String, arguments: StatementArguments)
    {
        let (source, sourceArguments, filter) = lastNCandidates(query, scope: scope, snapshotMilliseconds: snapshotMilliseconds)
        let (grouping, groupingArguments) = lastNGrouping(query)
        let sql = """
            WITH candidate AS MATERIALIZED (
                SELECT r.resource_key, r.id, \(effectiveColumn)
                FROM \(source) WHERE \(filter.whereClause)
            ),
            ranked AS (
                SELECT c.resource_key, c.effective, c.id,
                       ROW_NUMBER() OVER (PARTITION BY t.system, t.code
                                          ORDER BY c.effective IS NULL, c.effective DESC, c.id) AS position
                FROM candidate c
                CROSS JOIN token_index t INDEXED BY token_index_by_resource
                    ON t.resource_key = c.resource_key AND t.param = 'code' AND (\(grouping))
            )
            SELECT resource_key FROM ranked WHERE position <= ?
            GROUP BY resource_key
            ORDER BY MAX(effective IS NULL), MAX(effective) DESC, MIN(id)
            """
        return (sql, sourceArguments + filter.arguments + groupingArguments + [max])
    }

    /// The ranking key of `$lastn` for the resource row `r`, as column `effective`: the end of its
    /// effective time, read through the resource's own `date_index` rows.
    static let effectiveColumn = """
        (SELECT MAX(d.high_ms) FROM date_index d INDEXED BY date_index_by_resource
         WHERE d.resource_key = r.resource_key AND d.param = 'date') AS effective
        """

    /// Which codes of `token_index t` form the groups of `$lastn`: the alternatives of the query's
    /// plain `code` parameters, or every code when it has none.
    static func lastNGrouping(_ query: SearchQuery) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        for clause in query.clauses where clause.parameter.name == "code" && clause.modifier == .none {
            for case .token(let token) in clause.values {
                switch token {
                case .code(let code):
                    conditions.append("t.code = ?")
                    arguments += [code]
                case .systemAndCode(let system, let code):
                    conditions.append("(t.system = ? AND t.code = ?)")
                    arguments += [system, code]
                case .codeWithoutSystem(let code):
                    conditions.append("(t.system IS NULL AND t.code = ?)")
                    arguments += [code]
                case .system(let system):
                    conditions.append("t.system = ?")
                    arguments += [system]
                }
            }
        }
        return conditions.isEmpty ? ("1", []) : (conditions.joined(separator: " OR "), arguments)
    }

    /// The candidates of `$lastn` as `FROM <source> WHERE <filter>` over `resource r`: the query's
    /// matches within the scope and snapshot, before ranking.
    static func lastNCandidates(_ query: SearchQuery, scope: AccessScope, snapshotMilliseconds: Int64)
        -> (from: String, arguments: StatementArguments, filter: SearchSQL)
    {
        var sql = SearchSQL()
        var from = "resource r"
        var fromArguments = StatementArguments()
        if case .patient(let patientID) = scope {
            // Starts from the patient's compartment, like a search (see SearchStatement).
            let source = Visibility.source(type: query.resourceType, patientID: patientID)
            from = "(\(source.sql)) s CROSS JOIN resource r"
            fromArguments = source.arguments
            sql.add("r.resource_key = s.resource_key")
        }
        sql.add("r.type = ?", [query.resourceType])
        sql.add("r.created_ms <= ?", [snapshotMilliseconds])
        for clause in query.clauses {
            sql.add(clause)
        }
        return (from, fromArguments, sql)
    }
}
