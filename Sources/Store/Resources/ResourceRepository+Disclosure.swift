import FHIR
import GRDB

extension ResourceRepository {
    /// A search in which every match and every `_include`d resource passes `filter`.
    ///
    /// **Total and paging.** `total` counts the admitted matches of the whole search (within the
    /// snapshot), never the refused ones. When the filter must look at each match, the match set is
    /// walked once per page request to count it; a patient-scoped search walks that patient's matches
    /// only. The page is then filled from the keyset cursor on with admitted matches until it holds
    /// `count`, and one more admitted match decides whether a `next` cursor is given; that cursor sits
    /// after the last match *served*. So refused matches never make a page short while more follow,
    /// never end paging early (no silent truncation), and a page never ends in an empty `next`.
    ///
    /// **Includes** are followed from the admitted matches of the page only, and each is asked for with
    /// the match that reached it; one admitting referrer is enough.
    ///
    /// - Throws: ``SearchCursorError`` when `page.after` does not fit the query's sort keys.
    public func search(_ query: SearchQuery, scope: AccessScope, page: SearchPage, filter: DisclosureFilter) async throws
        -> FilteredSearchResult
    {
        let verdict = filter.verdict(query.resourceType)
        // LIMIT -1 is SQLite's "no limit": the page statement is then read lazily, only as far as needed.
        let statement = try SearchStatement(
            query: query, scope: scope, snapshotMilliseconds: page.snapshotMilliseconds, after: page.after,
            limit: verdict == .all ? page.count + 1 : -1)
        let whole = try SearchStatement(query: query, scope: scope, snapshotMilliseconds: page.snapshotMilliseconds, after: nil, limit: -1)
        return try await database.pool.read { db in
            var rows: [Row]
            let total: Int
            var withheld = 0
            switch verdict {
            case .none:
                let visible = try Int.fetchOne(db.searchStatement(statement.countSQL), arguments: statement.countArguments) ?? 0
                return FilteredSearchResult(
                    result: SearchResult(matches: [], includes: [], total: 0), withheldMatches: visible, withheldIncludes: 0)
            case .all:
                total = try Int.fetchOne(db.searchStatement(statement.countSQL), arguments: statement.countArguments) ?? 0
                rows = try Row.fetchAll(db.searchStatement(statement.sql), arguments: statement.arguments)
            case .eachResource:
                var admitted = Set<Int64>()
                var visible = 0
                let all = try Row.fetchCursor(db, sql: whole.sql, arguments: whole.arguments)
                while let row = try all.next() {
                    visible += 1
                    if filter.admitsMatch(StoredResource(type: row["type"], id: row["id"], row: row)) { admitted.insert(row["resource_key"]) }
                }
                total = admitted.count
                withheld = visible - admitted.count
                rows = []
                if page.count > 0 {
                    let after = try Row.fetchCursor(db, sql: statement.sql, arguments: statement.arguments)
                    while rows.count <= page.count, let row = try after.next() {
                        if admitted.contains(row["resource_key"]) { rows.append(row.copy()) }
                    }
                }
            }
            // One admitted row more than asked tells whether another page follows.
            var next: SearchCursor?
            if rows.count > page.count {
                rows.removeLast(rows.count - page.count)
                next = rows.last.map { statement.cursor(after: $0, snapshotMilliseconds: page.snapshotMilliseconds) }
            }
            let matches = rows.map { (key: $0["resource_key"] as Int64, stored: StoredResource(type: $0["type"], id: $0["id"], row: $0)) }
            let (includes, withheldIncludes) = try Self.includes(db, for: query.includes, of: matches, scope: scope, filter: filter)
            return FilteredSearchResult(
                result: SearchResult(matches: matches.map(\.stored), includes: includes, total: total, next: next),
                withheldMatches: withheld, withheldIncludes: withheldIncludes)
        }
    }

    /// `_include`d resources of `matches` that the filter admits, in the order of the unfiltered
    /// ``includes(_:for:of:scope:)``, and how many distinct resources it refused.
    static func includes(
        _ db: Database, for requests: [IncludeRequest], of matches: [(key: Int64, stored: StoredResource)], scope: AccessScope,
        filter: DisclosureFilter
    ) throws -> ([StoredResource], Int) {
        guard !matches.isEmpty, !requests.isEmpty else { return ([], 0) }
        var referrers = [Int64: StoredResource]()
        for match in matches { referrers[match.key] = match.stored }
        var seen = Set(referrers.keys)
        var refused = Set<Int64>()
        var included = [StoredResource]()
        let keys = matches.map(\.key)
        for request in requests {
            let statement = includeStatement(request, of: keys, scope: scope, withReferrer: true)
            let rows = try Row.fetchAll(db.searchStatement(statement.sql), arguments: statement.arguments)
            for row in rows {
                let key: Int64 = row["resource_key"]
                guard !seen.contains(key), let referrer = referrers[row["referrer_key"]] else { continue }
                let stored = StoredResource(type: row["type"], id: row["id"], row: row)
                if filter.admitsInclude(stored, referrer) {
                    seen.insert(key)
                    refused.remove(key)
                    included.append(stored)
                } else {
                    refused.insert(key)
                }
            }
        }
        return (included, refused.count)
    }
}
