/// One indexed value of one search parameter of a resource: a row in the store's search index.
///
/// A resource has any number of entries per parameter (one per coding, name part, reference...);
/// no entry at all means the parameter is missing (`:missing=true`).
///
/// ```swift
/// SearchIndexEntry(parameter: "code", value: .token(system: "http://loinc.org", code: "29463-7"))
/// ```
public struct SearchIndexEntry: Sendable, Hashable, CustomStringConvertible {
    /// The parameter name as in the registry (`code`, `patient`, `_lastUpdated`).
    public var parameter: String
    public var value: SearchIndexValue

    public init(parameter: String, value: SearchIndexValue) {
        self.parameter = parameter
        self.value = value
    }

    public var description: String { "\(parameter)=\(value)" }
}

/// The comparable form of an indexed value, one case per index table.
public enum SearchIndexValue: Sendable, Hashable, CustomStringConvertible {
    /// A Coding, a CodeableConcept's coding, an Identifier (`system`/`value`), a ContactPoint's
    /// `value` (system nil), or a code/string/uri/boolean primitive (system nil; booleans as
    /// `"true"`/`"false"`). Codes are stored exactly as written: token search is case-sensitive.
    case token(system: String?, code: String)
    /// Text in ``SearchText/normalize(_:)`` form, compared by prefix or substring, and the text
    /// exactly as written, which `:exact` compares by equality (FHIR: case and accents matter there).
    case string(normalized: String, exact: String)
    /// The time span of a date, dateTime, instant, Period or Timing event (see ``DateRange``).
    case date(DateRange)
    /// A literal reference. `type` and `id` are the last two segments of `url` (after dropping a
    /// `/_history/n` suffix); `url` is the reference exactly as written in the resource, so an
    /// absolute URL (`url` not equal to `type/id`) can be told from a local reference. `type` is nil
    /// only for a bare `id` reference whose parameter allows several target types.
    case reference(type: String?, id: String, url: String)
    /// A Quantity (also Age, Duration...): value with its unit system and code as written.
    case quantity(value: Double, system: String?, code: String?)
    case number(Double)
    /// Compared exactly.
    case uri(String)

    public var description: String {
        switch self {
        case .token(let system, let code): system.map { "\($0)|\(code)" } ?? code
        case .string(_, let exact): "\"\(exact)\""
        case .date(let range): range.description
        case .reference(_, _, let url): url
        case .quantity(let value, let system, let code): "\(value)|\(system ?? "")|\(code ?? "")"
        case .number(let value): String(value)
        case .uri(let uri): uri
        }
    }
}
