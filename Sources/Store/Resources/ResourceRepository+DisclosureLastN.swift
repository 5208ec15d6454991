import FHIR
import GRDB

extension ResourceRepository {
    /// `Observation/$lastn` over the observations `filter` admits: the `max` most recent admitted ones per
    /// code, ranked exactly as ``lastN(_:max:scope:snapshotMilliseconds:)`` ranks all of them.
    ///
    /// Filtering comes before ranking, so a refused newer observation does not hide an admitted older
    /// one of the same code: the app gets the latest it may see. `withheldMatches` counts the refused
    /// candidates (observations matching the query).
    public func lastN(
        _ query: SearchQuery, max: Int, scope: AccessScope, filter: DisclosureFilter, snapshotMilliseconds: Int64 = .max
    ) async throws -> FilteredSearchResult {
        let verdict = filter.verdict(query.resourceType)
        let (source, sourceArguments, where_) = Self.lastNCandidates(query, scope: scope, snapshotMilliseconds: snapshotMilliseconds)
        let content = verdict == .eachResource ? ", v.version, v.last_updated, \(scope.contentColumn("v"))" : ""
        let version = verdict == .eachResource
            ? "CROSS JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version" : ""
        return try await database.pool.read { db in
            // Every candidate with its effective end (the ranking key), and its content when each is judged.
            let candidateRows = try Row.fetchAll(
                db.searchStatement("""
                    SELECT r.resource_key, r.type, r.id, \(Self.effectiveColumn)
                           \(content)
                    FROM \(source) \(version) WHERE \(where_.whereClause)
                    """),
                arguments: sourceArguments + where_.arguments)
            var candidates = [Int64: Candidate]()
            for row in candidateRows {
                let admitted: Bool
                switch verdict {
                case .all: admitted = true
                case .none: admitted = false
                case .eachResource: admitted = filter.admitsMatch(StoredResource(type: row["type"], id: row["id"], row: row))
                }
                if admitted { candidates[row["resource_key"]] = Candidate(id: row["id"], effective: row["effective"]) }
            }
            let withheld = candidateRows.count - candidates.count
            guard !candidates.isEmpty else {
                return FilteredSearchResult(
                    result: SearchResult(matches: [], includes: [], total: 0), withheldMatches: withheld, withheldIncludes: 0)
            }
            let codes = Self.lastNCodes(query, scope: scope, snapshotMilliseconds: snapshotMilliseconds)
            let codeRows = try Row.fetchAll(db.searchStatement(codes.sql), arguments: codes.arguments)
            let keys = Self.rank(candidates, codes: codeRows, max: max)
            guard !keys.isEmpty else {
                return FilteredSearchResult(
                    result: SearchResult(matches: [], includes: [], total: 0), withheldMatches: withheld, withheldIncludes: 0)
            }
            let rows = try Row.fetchAll(
                db.searchStatement("""
                    SELECT r.resource_key, r.type, r.id, v.version, v.last_updated, \(scope.contentColumn("v"))
                    FROM resource r JOIN resource_version v ON v.resource_key = r.resource_key AND v.version = r.current_version
                    WHERE r.resource_key IN (\(databaseQuestionMarks(count: keys.count)))
                    """),
                arguments: StatementArguments(keys))
            var byKey = [Int64: StoredResource]()
            for row in rows { byKey[row["resource_key"]] = StoredResource(type: row["type"], id: row["id"], row: row) }
            let matches = keys.compactMap { key in byKey[key].map { (key: key, stored: $0) } }
            let (includes, withheldIncludes) = try Self.includes(db, for: query.includes, of: matches, scope: scope, filter: filter)
            return FilteredSearchResult(
                result: SearchResult(matches: matches.map(\.stored), includes: includes, total: matches.count),
                withheldMatches: withheld, withheldIncludes: withheldIncludes)
        }
    }

    /// The grouping codes of every `$lastn` candidate (rows `resource_key, system, code`), read by
    /// resource after the candidates (CROSS JOIN keeps that order); otherwise SQLite starts from every
    /// `code` row in the database.
    static func lastNCodes(_ query: SearchQuery, scope: AccessScope, snapshotMilliseconds: Int64)
        -> (sql: String, arguments: StatementArguments)
    {
        let (source, sourceArguments, filter) = lastNCandidates(query, scope: scope, snapshotMilliseconds: snapshotMilliseconds)
        let (grouping, groupingArguments) = lastNGrouping(query)
        let sql = """
            SELECT r.resource_key, t.system, t.code
            FROM \(source)
            CROSS JOIN token_index t INDEXED BY token_index_by_resource
                ON t.resource_key = r.resource_key AND t.param = 'code' AND (\(grouping))
            WHERE \(filter.whereClause)
            """
        return (sql, sourceArguments + groupingArguments + filter.arguments)
    }

    private struct Candidate {
        let id: String
        let effective: Int64?

        /// The SQL order `effective IS NULL, effective DESC, id`: newest first, undated last.
        func precedes(_ other: Candidate) -> Bool {
            switch (effective, other.effective) {
            case (.some, .none): return true
            case (.none, .some): return false
            case (.some(let a), .some(let b)) where a != b: return a > b
            default: return id.utf8.lexicographicallyPrecedes(other.id.utf8)
            }
        }
    }

    private struct Code: Hashable {
        let system: String?
        let code: String?
    }

    /// The keys of the `max` first admitted candidates per code, in the unfiltered `$lastn` result order.
    private static func rank(_ candidates: [Int64: Candidate], codes: [Row], max: Int) -> [Int64] {
        var byCode = [Code: [Int64]]()
        for row in codes {
            let key: Int64 = row["resource_key"]
            guard candidates[key] != nil else { continue }
            byCode[Code(system: row["system"], code: row["code"]), default: []].append(key)
        }
        var chosen = Set<Int64>()
        for keys in byCode.values {
            let ordered = Set(keys).sorted { lhs, rhs in
                // Both are candidates: `byCode` only holds admitted keys.
                guard let a = candidates[lhs], let b = candidates[rhs] else { return lhs < rhs }
                return a.precedes(b)
            }
            chosen.formUnion(ordered.prefix(max))
        }
        return chosen.sorted { lhs, rhs in
            guard let a = candidates[lhs], let b = candidates[rhs] else { return lhs < rhs }
            return a.precedes(b)
        }
    }
}
