import FHIR
import GRDB

/// Translates a parsed ``SearchQuery`` into SQL over the index tables.
///
/// Each clause becomes an `EXISTS` over its parameter's index table (values ORed inside it, clauses
/// ANDed), so a resource with several values matches when any value does. The semantics are those of
/// `FHIR.matches(_:entries:)`, which the store tests use as the reference.
struct SearchSQL {
    private(set) var conditions: [String] = []
    private(set) var arguments = StatementArguments()
    /// Whether the candidates are few and known first (a patient's compartment), so each clause is
    /// best checked per candidate; false for a search over the whole database, where a token clause
    /// is best answered from its own index (see ``add(_:)``).
    var candidatesComeFirst = true

    mutating func add(_ sql: String, _ values: StatementArguments = []) {
        conditions.append(sql)
        arguments += values
    }

    var whereClause: String { conditions.joined(separator: "\n  AND ") }

    static func table(for type: SearchParameterType) -> IndexTable {
        switch type {
        case .token: .token
        case .string: .string
        case .date: .date
        case .reference: .reference
        case .quantity, .number: .quantity
        case .uri: .uri
        }
    }

    mutating func add(_ clause: SearchClause) {
        let table = Self.table(for: clause.parameter.type)
        // The EXISTS is correlated on the resource, so it reads that resource's few rows through the
        // table's `_by_resource` index. Left to itself, SQLite (which has no ANALYZE statistics here)
        // prefers the `_lookup` index, since it matches more terms (param, code, system), and then
        // walks every row with that code in the database, every patient's, once per candidate resource.
        let exists = "EXISTS (SELECT 1 FROM \(table.rawValue) x INDEXED BY \(table.byResourceIndex)"
            + " WHERE x.resource_key = r.resource_key AND x.param = ?"
        let parameter: StatementArguments = [clause.parameter.name]
        switch clause.modifier {
        case .missing(let missing):
            add((missing ? "NOT " : "") + exists + ")", parameter)
            return
        default:
            break
        }
        var alternatives = [String]()
        var values = StatementArguments()
        for value in clause.values {
            let (sql, arguments) = Self.condition(value, modifier: clause.modifier)
            alternatives.append("(\(sql))")
            values += arguments
        }
        guard !alternatives.isEmpty else { return }
        if !candidatesComeFirst, table == .token, Self.isPlainMatch(clause.modifier) {
            // Over the whole database (a conditional create's `identifier=system|value`, say) the
            // matching rows are few and every resource of the type is many: start from the token
            // index (`token_index_lookup`) instead of checking each resource of the type in turn.
            add(
                "r.resource_key IN (SELECT x.resource_key FROM token_index x WHERE x.param = ? AND ("
                    + alternatives.joined(separator: " OR ") + "))",
                parameter + values)
            return
        }
        let matching = exists + " AND (" + alternatives.joined(separator: " OR ") + "))"
        if case .not = clause.modifier {
            add("NOT " + matching, parameter + values)
        } else {
            add(matching, parameter + values)
        }
    }

    /// A clause that keeps the resources having a matching row (no `:not`, no `:missing`).
    private static func isPlainMatch(_ modifier: SearchModifier) -> Bool {
        switch modifier {
        case .not, .missing: false
        default: true
        }
    }

    private static func condition(_ value: SearchValue, modifier: SearchModifier) -> (String, StatementArguments) {
        switch value {
        case .token(let token):
            switch token {
            case .code(let code): return ("x.code = ?", [code])
            case .systemAndCode(let system, let code): return ("x.system = ? AND x.code = ?", [system, code])
            case .codeWithoutSystem(let code): return ("x.system IS NULL AND x.code = ?", [code])
            case .system(let system): return ("x.system = ?", [system])
            }
        case .string(let text):
            switch modifier {
            case .exact: return ("x.value_exact = ?", [text])
            case .contains: return ("instr(x.value, ?) > 0", [text])
            default:
                // A prefix range keeps the index usable; U+10FFFF sorts after every other character in UTF-8.
                return ("x.value >= ? AND x.value < ?", [text, text + "\u{10FFFF}"])
            }
        case .reference(let reference):
            let requiredType: String? = if case .type(let type) = modifier { type } else { nil }
            switch reference {
            case .typed(let type, let id): return ("x.target_type = ? AND x.target_id = ?", [type, id])
            case .id(let id):
                if let requiredType { return ("x.target_type = ? AND x.target_id = ?", [requiredType, id]) }
                return ("x.target_id = ?", [id])
            case .url(let url): return ("x.url = ?", [url])
            }
        case .date(let comparison):
            return dateCondition(comparison)
        case .number(let number):
            return numberCondition(number)
        case .quantity(let quantity):
            var (sql, arguments) = numberCondition(quantity.number)
            if let system = quantity.system {
                sql += " AND x.system = ?"
                arguments += [system]
            }
            if let code = quantity.code {
                sql += " AND x.code = ?"
                arguments += [code]
            }
            return (sql, arguments)
        case .uri(let uri):
            return ("x.value = ?", [uri])
        }
    }

    /// STU3 date prefixes over the search range S = [low, high) and a resource range [low_ms, high_ms).
    private static func dateCondition(_ comparison: DateComparison) -> (String, StatementArguments) {
        let low = comparison.range.lowerBound
        let high = comparison.range.upperBound
        let contained = "(x.low_ms >= ? AND x.high_ms <= ?)"
        switch comparison.prefix {
        case .eq: return (contained, [low, high])
        case .ne: return ("NOT " + contained, [low, high])
        case .gt: return ("x.high_ms > ?", [high])
        case .lt: return ("x.low_ms < ?", [low])
        case .ge: return ("x.high_ms > ? OR " + contained, [high, low, high])
        case .le: return ("x.low_ms < ? OR " + contained, [low, low, high])
        case .sa: return ("x.low_ms >= ?", [high])
        case .eb: return ("x.high_ms <= ?", [low])
        }
    }

    private static func numberCondition(_ number: NumberComparison) -> (String, StatementArguments) {
        switch number.prefix {
        case .eq: return ("x.value >= ? AND x.value < ?", [number.lowerBound, number.upperBound])
        case .ne: return ("NOT (x.value >= ? AND x.value < ?)", [number.lowerBound, number.upperBound])
        case .gt: return ("x.value > ?", [number.value])
        case .lt: return ("x.value < ?", [number.value])
        case .ge: return ("x.value >= ?", [number.value])
        case .le: return ("x.value <= ?", [number.value])
        // The parser refuses these for numbers; never match rather than guess.
        case .sa, .eb: return ("0", [])
        }
    }

    /// One sort key as a column of the page query: ascending by the smallest lower bound,
    /// descending by the largest upper bound, resources without a value last (`nullable`).
    struct SortColumn {
        var expression: String
        var arguments: StatementArguments
        var descending: Bool
        var nullable: Bool
        /// `_id` sorts text; every other key sorts milliseconds.
        var isText: Bool
    }

    static func sortColumns(_ sort: [SortKey]) -> [SortColumn] {
        sort.map { key in
            switch key.parameter.name {
            case "_id":
                return SortColumn(expression: "r.id", arguments: [], descending: key.descending, nullable: false, isText: true)
            case "_lastUpdated":
                return SortColumn(
                    expression: "r.last_updated_ms", arguments: [], descending: key.descending, nullable: false, isText: false)
            default:
                let aggregate = key.descending ? "MAX(d.high_ms)" : "MIN(d.low_ms)"
                return SortColumn(
                    expression: """
                        (SELECT \(aggregate) FROM date_index d INDEXED BY \(IndexTable.date.byResourceIndex)
                         WHERE d.resource_key = r.resource_key AND d.param = ?)
                        """,
                    arguments: [key.parameter.name], descending: key.descending, nullable: true, isText: false)
            }
        }
    }
}

extension IndexTable {
    /// The index on `resource_key` alone that every index table has (schema v1): the way to a
    /// resource's own rows, for conditions correlated on the resource (see `SearchSQL.add(_:)` for
    /// why it is named explicitly).
    var byResourceIndex: String { rawValue + "_by_resource" }
}
