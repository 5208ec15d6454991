/// Whether a resource with these index entries satisfies `clause`: the reference semantics of
/// search, which the store's SQL must reproduce exactly (the store tests compare the two).
///
/// Only the entries of `clause.parameter` count. A clause matches when **some entry matches some
/// value** (values are ORed), except for `:not`, which matches when **no entry matches any value**
/// (so a resource without the element matches too), and `:missing`, which looks only at whether
/// there are entries.
///
/// Per type:
/// - token: `code` any system; `system|code` both equal; `|code` code equal and no system;
///   `system|` system equal. Exact, case-sensitive comparison.
/// - string: the normalized entry starts with (default) or contains (`:contains`) the normalized
///   search text, comparing UTF-8 bytes; `:exact` needs the text as written to equal the search text
///   as written (case and accents count, as FHIR specifies).
/// - reference: `Type/id` needs type and id equal (an entry without type never matches it); `id`
///   needs the id equal, any type; an absolute URL needs the stored reference text equal.
/// - uri: equal.
/// - number / quantity: with the search value `v` and its precision range `[lo, hi)`:
///   `eq` lo ≤ x < hi, `ne` not eq, `gt` x > v, `lt` x < v, `ge` x ≥ v, `le` x ≤ v. Quantities
///   also need the unit system and code equal when the search gives them.
/// - date: with the search range S = [sL, sU) and the entry's range T = [tL, tU), following the
///   STU3 prefix table (search.html#prefix) with "the range above S" = [sU, ∞) and "below" = (-∞, sL):
///
///   | prefix | STU3 wording | condition |
///   |---|---|---|
///   | eq | S fully contains T | sL ≤ tL and tU ≤ sU |
///   | ne | S does not fully contain T | not eq |
///   | gt | the range above S overlaps T | tU > sU |
///   | lt | the range below S overlaps T | tL < sL |
///   | ge | gt, or S fully contains T | tU > sU or eq |
///   | le | lt, or S fully contains T | tL < sL or eq |
///   | sa | T does not overlap S and lies above it | tL ≥ sU |
///   | eb | T does not overlap S and lies below it | tU ≤ sL |
///
///   Open ends are `Int64.min`/`Int64.max`, so a Period without end is "greater than" every date.
///   For a resource with several values, each entry is tested on its own (`ne` matches when some
///   value is not inside S).
///
/// ```swift
/// let query = try SearchQuery.parse(resourceType: "Observation", parameters: [("date", "ge2017")])
/// matches(query.clauses[0], entries: SearchIndexer().entries(for: observation))
/// ```
public func matches(_ clause: SearchClause, entries: [SearchIndexEntry]) -> Bool {
    let name = clause.parameter.name
    switch clause.modifier {
    case .missing(let missing):
        let present = entries.contains { $0.parameter == name }
        return missing ? !present : present
    case .not:
        return !entries.contains { entry in
            entry.parameter == name && clause.values.contains { SearchMatching.matches($0, entry.value, modifier: .none) }
        }
    case .none, .exact, .contains, .type:
        return entries.contains { entry in
            entry.parameter == name
                && clause.values.contains { SearchMatching.matches($0, entry.value, modifier: clause.modifier) }
        }
    }
}

/// The comparisons behind ``matches(_:entries:)``, one search value against one index value.
enum SearchMatching {
    static func matches(_ value: SearchValue, _ entry: SearchIndexValue, modifier: SearchModifier) -> Bool {
        switch (value, entry) {
        case (.token(let search), .token(let system, let code)):
            return token(search, system: system, code: code)
        case (.string(let search), .string(let normalized, let exact)):
            switch modifier {
            case .exact: return exact == search
            case .contains: return contains(normalized, search)
            default: return normalized.utf8.starts(with: search.utf8)
            }
        case (.reference(let search), .reference(let type, let id, let url)):
            switch search {
            case .typed(let searchType, let searchID): return type == searchType && id == searchID
            case .id(let searchID): return id == searchID
            case .url(let searchURL): return url == searchURL
            }
        case (.uri(let search), .uri(let uri)):
            return uri == search
        case (.date(let comparison), .date(let range)):
            return date(comparison, range)
        case (.number(let comparison), .number(let number)), (.number(let comparison), .quantity(let number, _, _)):
            return self.number(comparison, number)
        case (.quantity(let comparison), .quantity(let number, let system, let code)):
            if let wanted = comparison.system, wanted != system { return false }
            if let wanted = comparison.code, wanted != code { return false }
            return self.number(comparison.number, number)
        default:
            return false
        }
    }

    static func token(_ search: TokenSearch, system: String?, code: String) -> Bool {
        switch search {
        case .code(let wanted): code == wanted
        case .systemAndCode(let wantedSystem, let wantedCode): system == wantedSystem && code == wantedCode
        case .codeWithoutSystem(let wanted): system == nil && code == wanted
        case .system(let wanted): system == wanted
        }
    }

    /// The STU3 date prefix table; see ``matches(_:entries:)``.
    static func date(_ comparison: DateComparison, _ target: DateRange) -> Bool {
        let search = comparison.range
        let contained = search.contains(target)
        switch comparison.prefix {
        case .eq: return contained
        case .ne: return !contained
        case .gt: return target.upperBound > search.upperBound
        case .lt: return target.lowerBound < search.lowerBound
        case .ge: return target.upperBound > search.upperBound || contained
        case .le: return target.lowerBound < search.lowerBound || contained
        case .sa: return target.lowerBound >= search.upperBound
        case .eb: return target.upperBound <= search.lowerBound
        }
    }

    static func number(_ comparison: NumberComparison, _ number: Double) -> Bool {
        switch comparison.prefix {
        case .eq: return comparison.lowerBound <= number && number < comparison.upperBound
        case .ne: return !(comparison.lowerBound <= number && number < comparison.upperBound)
        case .gt: return number > comparison.value
        case .lt: return number < comparison.value
        case .ge: return number >= comparison.value
        case .le: return number <= comparison.value
        // Not produced by the parser for numbers; defined for completeness as "beyond the range".
        case .sa: return number >= comparison.upperBound
        case .eb: return number < comparison.lowerBound
        }
    }

    /// Byte-wise substring test, the same comparison SQL `instr` makes.
    static func contains(_ text: String, _ needle: String) -> Bool {
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return true }
        guard haystack.count >= pattern.count else { return false }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}
