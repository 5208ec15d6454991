extension SearchQuery {
    /// Parses and validates the query parameters of a search on `resourceType`.
    ///
    /// `parameters` arrive percent-decoded, in request order, names possibly with a modifier
    /// (`code:missing`, `subject:Patient`). Rules:
    /// - `_format` and `_pretty` are skipped: the HTTP layer handles them.
    /// - `_count` must be a positive whole number; values above ``maximumCount`` are lowered to it.
    /// - `_include` must be one the registry offers for `resourceType` (no `*`, no `:iterate`).
    /// - `_sort` is a comma list of `_id`, `_lastUpdated` or date parameters, `-` for descending.
    /// - Everything else must be a parameter of `resourceType` with a modifier its type supports.
    ///   All parameters failing that (including `_summary`, `_elements`, `_total`, `_revinclude`,
    ///   chains such as `patient.identifier`) are reported together in one
    ///   ``SearchQueryError/unsupportedParameters(_:resourceType:supported:)``; only when there are none
    ///   is the first malformed value reported.
    ///
    /// ```swift
    /// let query = try SearchQuery.parse(
    ///     resourceType: "Coverage",
    ///     parameters: [("_include", "Coverage:payor:Patient"), ("_include", "Coverage:payor:Organization")])
    /// query.includes.map(\.description)  // ["Coverage:payor:Patient", "Coverage:payor:Organization"]
    /// ```
    public static func parse(
        resourceType: String,
        parameters: [(name: String, value: String)],
        registry: SearchParameterRegistry = .stu3
    ) throws(SearchQueryError) -> SearchQuery {
        var parser = SearchQueryParser(resourceType: resourceType, registry: registry)
        for parameter in parameters {
            parser.add(name: parameter.name, value: parameter.value)
        }
        return try parser.finish()
    }
}

/// Accumulates one request's parameters: collects every unsupported name before failing, so that
/// the client learns about all of them at once.
struct SearchQueryParser {
    /// Result parameters this parser handles itself (shown to clients as supported).
    static let resultParameters = ["_count", "_include", "_sort", "_format", "_pretty"]

    let registry: SearchParameterRegistry
    private var query: SearchQuery
    private var unsupported: [String] = []
    private var firstInvalid: SearchQueryError?
    private var sawCount = false
    private var sawSort = false

    init(resourceType: String, registry: SearchParameterRegistry) {
        self.registry = registry
        self.query = SearchQuery(resourceType: resourceType)
    }

    private var resourceType: String { query.resourceType }

    mutating func add(name: String, value: String) {
        let base: Substring
        let modifier: Substring?
        if let colon = name.firstIndex(of: ":") {
            base = name[..<colon]
            modifier = name[name.index(after: colon)...]
        } else {
            base = name[...]
            modifier = nil
        }
        switch base {
        case "_format", "_pretty":
            return
        case "_count", "_include", "_sort":
            guard modifier == nil else { return markUnsupported(name) }
            do throws(SearchQueryError) {
                switch base {
                case "_count": try parseCount(value)
                case "_include": try parseInclude(value)
                default: try parseSort(value)
                }
            } catch {
                record(error)
            }
        default:
            guard let definition = registry.parameter(String(base), on: resourceType) else {
                return markUnsupported(name)
            }
            addClause(name: name, definition: definition, modifier: modifier.map(String.init), value: value)
        }
    }

    func finish() throws(SearchQueryError) -> SearchQuery {
        if !unsupported.isEmpty {
            let supported = registry.parameters(for: resourceType).map(\.name) + Self.resultParameters
            throw .unsupportedParameters(unsupported, resourceType: resourceType, supported: supported)
        }
        if let firstInvalid { throw firstInvalid }
        return query
    }

    private mutating func markUnsupported(_ name: String) {
        let shown = name.isEmpty ? "(empty name)" : name
        if !unsupported.contains(shown) { unsupported.append(shown) }
    }

    private mutating func record(_ error: SearchQueryError) {
        if firstInvalid == nil { firstInvalid = error }
    }

    private mutating func addClause(
        name: String, definition: SearchParameterDefinition, modifier text: String?, value: String
    ) {
        if text == "missing" {
            switch value {
            case "true": query.clauses.append(SearchClause(parameter: definition, modifier: .missing(true), values: []))
            case "false": query.clauses.append(SearchClause(parameter: definition, modifier: .missing(false), values: []))
            default: record(.invalidValue(parameter: name, value: value, expected: "true or false"))
            }
            return
        }
        guard let modifier = Self.modifier(text, for: definition) else { return markUnsupported(name) }
        let parser = SearchValueParser(parameterName: name, definition: definition, modifier: modifier)
        do throws(SearchQueryError) {
            let values = try parser.parseValues(value)
            query.clauses.append(SearchClause(parameter: definition, modifier: modifier, values: values))
        } catch {
            record(error)
        }
    }

    /// The modifier `text` means for `definition`, or nil when that type does not support it.
    static func modifier(_ text: String?, for definition: SearchParameterDefinition) -> SearchModifier? {
        guard let text else { return SearchModifier.none }
        switch (definition.type, text) {
        case (.token, "not"): return .not
        case (.string, "exact"): return .exact
        case (.string, "contains"): return .contains
        case (.reference, _):
            guard FHIRResource.isWellFormedTypeName(text) else { return nil }
            guard definition.targets.isEmpty || definition.targets.contains(text) else { return nil }
            return .type(text)
        default: return nil
        }
    }

    private mutating func parseCount(_ value: String) throws(SearchQueryError) {
        guard !sawCount else { throw .repeatedParameter("_count") }
        sawCount = true
        guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let count = Int(value), count > 0
        else {
            throw .invalidValue(
                parameter: "_count", value: value,
                expected: "a positive whole number (at most \(SearchQuery.maximumCount) are returned per page)")
        }
        query.count = min(count, SearchQuery.maximumCount)
    }

    private mutating func parseInclude(_ value: String) throws(SearchQueryError) {
        let offered = registry.includes(for: resourceType)
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let unsupported = SearchQueryError.unsupportedInclude(
            value, resourceType: resourceType, supported: offered.map(\.description))
        guard parts.count == 2 || parts.count == 3, parts[0] == resourceType else { throw unsupported }
        let target = parts.count == 3 ? parts[2] : nil
        let matches = offered.contains { include in
            guard include.sourceType == parts[0], include.parameter == parts[1] else { return false }
            if let fixed = include.targetType { return target == fixed }
            guard let target else { return true }
            let targets = registry.parameter(include.parameter, on: resourceType)?.targets ?? []
            return targets.isEmpty ? FHIRResource.isWellFormedTypeName(target) : targets.contains(target)
        }
        guard matches else { throw unsupported }
        let request = IncludeRequest(sourceType: parts[0], parameter: parts[1], targetType: target)
        if !query.includes.contains(request) { query.includes.append(request) }
    }

    private mutating func parseSort(_ value: String) throws(SearchQueryError) {
        guard !sawSort else { throw .repeatedParameter("_sort") }
        sawSort = true
        let sortable = registry.parameters(for: resourceType).filter(Self.isSortable).map(\.name)
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let descending = item.hasPrefix("-")
            let name = String(descending ? item.dropFirst() : item)
            guard !name.isEmpty else {
                throw .invalidValue(parameter: "_sort", value: value, expected: "a comma-separated list of parameter names")
            }
            guard let definition = registry.parameter(name, on: resourceType), Self.isSortable(definition) else {
                throw .unsupportedSort(name, resourceType: resourceType, sortable: sortable)
            }
            query.sort.append(SortKey(parameter: definition, descending: descending))
        }
    }

    private static func isSortable(_ definition: SearchParameterDefinition) -> Bool {
        definition.type == .date || definition.name == "_id"
    }
}
