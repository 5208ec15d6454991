import FHIR
import GRDB

/// The SQL of one search page and of its total, built from the query, the access scope and the page.
///
/// Shape of the page statement:
///
/// ```sql
/// SELECT p.*, v.version, v.last_updated, <content>
/// FROM (SELECT r.resource_key, r.type, r.id, r.current_version, <sort key> AS k0, ...
///       FROM <source> WHERE <scope, type, snapshot and search filters>) p
/// CROSS JOIN resource_version v ON ...
/// WHERE <after the cursor>
/// ORDER BY p.k0 ..., p.id
/// LIMIT count + 1
/// ```
///
/// Under a patient scope `<source>` is the patient's compartment rows (``Visibility/source(type:patientID:)``),
/// joined to `resource` by key with a CROSS JOIN so SQLite keeps that order: the work grows with the
/// patient's data, not with the number of resources of the type.
struct SearchStatement {
    let sql: String
    let arguments: StatementArguments
    let countSQL: String
    let countArguments: StatementArguments
    let columns: [SearchSQL.SortColumn]

    init(query: SearchQuery, scope: AccessScope, snapshotMilliseconds: Int64, after cursor: SearchCursor?, limit: Int)
        throws(SearchCursorError)
    {
        let columns = SearchSQL.sortColumns(query.sort)
        var filter = SearchSQL()
        let from: String
        var fromArguments = StatementArguments()
        switch scope {
        case .everything:
            from = "resource r"
            filter.candidatesComeFirst = false
        case .patient(let patientID):
            let source = Visibility.source(type: query.resourceType, patientID: patientID)
            from = "(\(source.sql)) s CROSS JOIN resource r"
            fromArguments = source.arguments
            filter.add("r.resource_key = s.resource_key")
        }
        filter.add("r.type = ?", [query.resourceType])
        filter.add("r.created_ms <= ?", [snapshotMilliseconds])
        for clause in query.clauses {
            filter.add(clause)
        }

        var keyColumns = [String]()
        var keyArguments = StatementArguments()
        var order = [String]()
        for (index, column) in columns.enumerated() {
            keyColumns.append("\(column.expression) AS k\(index)")
            keyArguments += column.arguments
            let direction = column.descending ? "DESC" : "ASC"
            order.append(column.nullable ? "p.k\(index) IS NULL, p.k\(index) \(direction)" : "p.k\(index) \(direction)")
        }
        order.append("p.id ASC")
        let (after, afterArguments) = try Self.keyset(columns, cursor)

        sql = """
            SELECT p.resource_key, p.type, p.id\(columns.indices.map { ", p.k\($0)" }.joined()),
                   v.version, v.last_updated, \(scope.contentColumn("v"))
            FROM (SELECT r.resource_key, r.type, r.id, r.current_version\(keyColumns.map { ", " + $0 }.joined())
                  FROM \(from)
                  WHERE \(filter.whereClause)) p
            CROSS JOIN resource_version v ON v.resource_key = p.resource_key AND v.version = p.current_version
            WHERE \(after)
            ORDER BY \(order.joined(separator: ", "))
            LIMIT ?
            """
        arguments = keyArguments + fromArguments + filter.arguments + afterArguments + [limit]
        countSQL = "SELECT count(*) FROM \(from) WHERE \(filter.whereClause)"
        countArguments = fromArguments + filter.arguments
        self.columns = columns
    }

    /// "Comes after the cursor" in the ORDER BY order: for components c₀…cₙ (each sort key, with a
    /// null flag first for keys that may be missing, and the id last), the disjunction over i of
    /// "c₀…cᵢ₋₁ equal and cᵢ beyond". `IS` compares missing values as equal.
    private static func keyset(_ columns: [SearchSQL.SortColumn], _ cursor: SearchCursor?) throws(SearchCursorError)
        -> (String, StatementArguments)
    {
        guard let cursor else { return ("1", []) }
        guard cursor.sortValues.count == columns.count else { throw .doesNotFitQuery }
        var components = [(expression: String, descending: Bool, value: (any DatabaseValueConvertible)?)]()
        for (index, (column, value)) in zip(columns, cursor.sortValues).enumerated() {
            let name = "p.k\(index)"
            switch (value, column.isText, column.nullable) {
            case (.text(let text), true, _):
                components.append((name, column.descending, text))
            case (.integer(let number), false, let nullable):
                if nullable { components.append(("(\(name) IS NULL)", false, 0)) }
                components.append((name, column.descending, number))
            case (.none, false, true):
                components.append(("(\(name) IS NULL)", false, 1))
                components.append((name, column.descending, nil))
            default:
                throw .doesNotFitQuery
            }
        }
        components.append(("p.id", false, cursor.lastID))

        var alternatives = [String]()
        var arguments = StatementArguments()
        for (index, component) in components.enumerated() {
            var terms = components[..<index].map { "\($0.expression) IS ?" }
            terms.append("\(component.expression) \(component.descending ? "<" : ">") ?")
            alternatives.append("(" + terms.joined(separator: " AND ") + ")")
            for earlier in components[..<index] { arguments += [earlier.value] }
            arguments += [component.value]
        }
        return ("(" + alternatives.joined(separator: "\n   OR ") + ")", arguments)
    }

    /// The cursor after `row`, a row of the page statement.
    func cursor(after row: Row, snapshotMilliseconds: Int64) -> SearchCursor {
        let values = columns.indices.map { index -> SearchCursor.SortValue in
            let value = row["k\(index)"] as DatabaseValue
            switch value.storage {
            case .int64(let number): return .integer(number)
            case .string(let text): return .text(text)
            default: return .none
            }
        }
        return SearchCursor(snapshotMilliseconds: snapshotMilliseconds, sortValues: values, lastID: row["id"])
    }
}
