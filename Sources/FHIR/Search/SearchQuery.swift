/// A parsed, validated FHIR search on one resource type: what the store must evaluate.
///
/// Clauses are ANDed; the values inside one clause are ORed (`code=a,b&status=final` is
/// `(code = a OR code = b) AND status = final`). Build it with ``parse(resourceType:parameters:registry:)``
/// (in SearchQueryParser.swift); every clause refers to a parameter the registry knows, with a modifier
/// that parameter's type supports, so the store never meets anything it cannot evaluate.
///
/// ```swift
/// let query = try SearchQuery.parse(
///     resourceType: "Observation",
///     parameters: [("code", "http://loinc.org|85354-9"), ("_count", "10"), ("_sort", "-date")])
/// query.clauses[0].values  // [.token(.systemAndCode(system: "http://loinc.org", code: "85354-9"))]
/// query.count              // 10
/// query.sort               // [SortKey(parameter: date, descending: true)]
/// ```
public struct SearchQuery: Sendable, Hashable {
    /// The largest page the server hands out; larger `_count` values are lowered to this.
    public static let maximumCount = 1_000

    public var resourceType: String
    public var clauses: [SearchClause]
    /// `_count`, already capped at ``maximumCount``; nil when the client did not ask.
    public var count: Int?
    public var includes: [IncludeRequest]
    public var sort: [SortKey]

    /// Normally made by `parse`; building one directly suits tests and the server's own look-ups,
    /// which then bypass validation.
    public init(
        resourceType: String, clauses: [SearchClause] = [], count: Int? = nil, includes: [IncludeRequest] = [],
        sort: [SortKey] = []
    ) {
        self.resourceType = resourceType
        self.clauses = clauses
        self.count = count
        self.includes = includes
        self.sort = sort
    }
}

/// One search parameter occurrence: `parameter[:modifier]=value1,value2`.
///
/// ```swift
/// // status=booked,pending on Appointment
/// clause.parameter.name  // "status"
/// clause.modifier        // .none
/// clause.values          // [.token(.code("booked")), .token(.code("pending"))]
/// ```
public struct SearchClause: Sendable, Hashable {
    public var parameter: SearchParameterDefinition
    public var modifier: SearchModifier
    /// Alternatives, any of which may match. Empty only for `:missing`, which carries its value itself.
    public var values: [SearchValue]

    public init(parameter: SearchParameterDefinition, modifier: SearchModifier = .none, values: [SearchValue]) {
        self.parameter = parameter
        self.modifier = modifier
        self.values = values
    }
}

/// The modifiers the gateway supports, per parameter type:
///
/// | modifier | types | meaning |
/// |---|---|---|
/// | `:missing=true/false` | all | the resource has no / at least one value for the parameter |
/// | `:not` | token | no value of the resource matches any of the clause's values |
/// | `:exact` | string | the value as written equals the search text as written (case and accents count) |
/// | `:contains` | string | the normalized value contains the normalized search text |
/// | `:[Type]` | reference | the reference points to a resource of that type (folded into the values) |
///
/// Everything else (`:text`, `:in`, `:below`, `:above`, `:identifier`, ...) is refused.
///
/// ```swift
/// // code:missing=true → .missing(true), name:contains=ans → .contains, subject:Patient=p1 → .type("Patient")
/// ```
public enum SearchModifier: Sendable, Hashable {
    case none
    case missing(Bool)
    case not
    case exact
    case contains
    case type(String)
}

/// One alternative value of a clause, parsed according to the parameter's type.
///
/// ```swift
/// // code=http://loinc.org|8302-2   → .token(.systemAndCode(system: "http://loinc.org", code: "8302-2"))
/// // family=Müller                  → .string("muller")
/// // date=ge2017-03                 → .date(DateComparison(prefix: .ge, range: <March 2017>))
/// // value-quantity=lt5||mmol/L     → .quantity(... prefix: .lt, value: 5, system: nil, code: "mmol/L")
/// ```
public enum SearchValue: Sendable, Hashable {
    case token(TokenSearch)
    /// The search text, already normalized with ``SearchText/normalize(_:)``; under `:exact` the
    /// text as written.
    case string(String)
    case reference(ReferenceSearch)
    case date(DateComparison)
    case number(NumberComparison)
    case quantity(QuantityComparison)
    /// Compared for exact equality.
    case uri(String)
}

/// The four token forms of FHIR search, each a different comparison.
///
/// ```swift
/// // "http://snomed.info/sct|11291000146105" → .systemAndCode(...)
/// // "|IMP" → .codeWithoutSystem("IMP"), "http://loinc.org|" → .system(...), "final" → .code("final")
/// ```
public enum TokenSearch: Sendable, Hashable {
    /// `code`: the code in any system (or none).
    case code(String)
    /// `system|code`: exactly this code in this system.
    case systemAndCode(system: String, code: String)
    /// `|code`: the code with no system at all.
    case codeWithoutSystem(String)
    /// `system|`: any code in the system.
    case system(String)
}

/// The reference forms of FHIR search.
///
/// ```swift
/// // "Patient/123" or subject:Patient=123 → .typed(type: "Patient", id: "123")
/// // "123" → .id("123")
/// // "https://other.example/fhir/Patient/9" → .url("https://other.example/fhir/Patient/9")
/// ```
public enum ReferenceSearch: Sendable, Hashable {
    /// A resource of this type with this id.
    case typed(type: String, id: String)
    /// Any resource with this id, whatever its type.
    case id(String)
    /// An absolute reference, matched against the reference text as stored. The HTTP layer should turn
    /// URLs under the server's own base into `Type/id` before parsing, since only it knows the base.
    case url(String)
}

/// The comparison prefixes of FHIR search. `ap` (approximately) is refused: its meaning is left to
/// the server by the spec, and a clinical gateway should not guess.
///
/// ```swift
/// // "ge2017" → .ge, "2017" → .eq, "sa2017-06-01" → .sa
/// ```
public enum SearchPrefix: String, Sendable, Hashable, CaseIterable {
    case eq, ne, gt, lt, ge, le
    /// Starts after: dates only.
    case sa
    /// Ends before: dates only.
    case eb
}

/// A date value with its prefix, e.g. `ge2017-03` → `.ge` with March 2017 as range.
public struct DateComparison: Sendable, Hashable {
    public var prefix: SearchPrefix
    public var range: DateRange

    public init(prefix: SearchPrefix, range: DateRange) {
        self.prefix = prefix
        self.range = range
    }
}

/// A number value with its prefix and the implicit range its precision gives it.
///
/// `100` means `[99.5, 100.5)` and `100.0` means `[99.95, 100.05)` for `eq`/`ne`; the other prefixes
/// compare with `value` itself (STU3 search, "number").
public struct NumberComparison: Sendable, Hashable {
    public var prefix: SearchPrefix
    public var value: Double
    public var lowerBound: Double
    public var upperBound: Double

    public init(prefix: SearchPrefix, value: Double, lowerBound: Double, upperBound: Double) {
        self.prefix = prefix
        self.value = value
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
}

/// A quantity value: `[prefix]number|system|code`, `[prefix]number||code` or `[prefix]number`.
/// A nil `system` or `code` is not compared. Units are compared as written (no UCUM conversion).
public struct QuantityComparison: Sendable, Hashable {
    public var number: NumberComparison
    public var system: String?
    public var code: String?

    public init(number: NumberComparison, system: String?, code: String?) {
        self.number = number
        self.system = system
        self.code = code
    }
}

/// A validated `_include`: from the matches, follow reference parameter `parameter` to the
/// resources it points to (only those of `targetType` when given).
///
/// ```swift
/// // _include=Coverage:payor:Organization
/// IncludeRequest(sourceType: "Coverage", parameter: "payor", targetType: "Organization")
/// ```
public struct IncludeRequest: Sendable, Hashable, CustomStringConvertible {
    public var sourceType: String
    public var parameter: String
    public var targetType: String?

    public init(sourceType: String, parameter: String, targetType: String? = nil) {
        self.sourceType = sourceType
        self.parameter = parameter
        self.targetType = targetType
    }

    public var description: String {
        [sourceType, parameter, targetType].compactMap { $0 }.joined(separator: ":")
    }
}

/// One `_sort` key. Only date parameters, `_id` and `_lastUpdated` are sortable.
///
/// Recommended store semantics for a resource with several values of a date parameter (STU3 leaves
/// it open): ascending sorts by the smallest `lowerBound`, descending by the largest `upperBound`;
/// resources without a value sort last either way; ties are broken by `_id`.
public struct SortKey: Sendable, Hashable {
    public var parameter: SearchParameterDefinition
    public var descending: Bool

    public init(parameter: SearchParameterDefinition, descending: Bool) {
        self.parameter = parameter
        self.descending = descending
    }
}
