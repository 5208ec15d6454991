/// Why a search request cannot be evaluated. The ``description`` is written for people and is meant
/// to go straight into `OperationOutcome.issue.diagnostics`; ``issueCode`` is the matching
/// `issue.code`.
///
/// ```swift
/// do {
///     _ = try SearchQuery.parse(resourceType: "Observation", parameters: [("foo", "1"), ("code:exact", "x")])
/// } catch {
///     error.description
///     // "Observation does not support the search parameters foo, code:exact. Supported: _id, ..."
///     error.issueCode  // "not-supported"
/// }
/// ```
public enum SearchQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Parameters (as written, with modifier) that are unknown for the type, use a modifier their type
    /// does not support, or are result parameters the gateway does not implement (`_summary`, ...).
    /// Every such parameter of the request is named, so the client can fix them all in one go.
    case unsupportedParameters([String], resourceType: String, supported: [String])
    /// A value that does not have the form the parameter needs.
    case invalidValue(parameter: String, value: String, expected: String)
    /// An `_include` the server does not offer for this resource type.
    case unsupportedInclude(String, resourceType: String, supported: [String])
    /// A `_sort` on a parameter that is not sortable here.
    case unsupportedSort(String, resourceType: String, sortable: [String])
    /// A result parameter that may appear only once (`_count`, `_sort`) appeared more than once.
    case repeatedParameter(String)

    public var description: String {
        switch self {
        case .unsupportedParameters(let names, let type, let supported):
            let noun = names.count == 1 ? "search parameter" : "search parameters"
            return "\(type) does not support the \(noun) \(names.joined(separator: ", ")). "
                + "Supported: \(supported.joined(separator: ", "))."
        case .invalidValue(let parameter, let value, let expected):
            return "Invalid value '\(value)' for search parameter \(parameter): expected \(expected)."
        case .unsupportedInclude(let value, let type, let supported):
            let offered = supported.isEmpty ? "none" : supported.joined(separator: ", ")
            return "_include=\(value) is not supported on \(type) searches. Supported: \(offered)."
        case .unsupportedSort(let name, let type, let sortable):
            return "Sorting \(type) by '\(name)' is not supported. Sortable: \(sortable.joined(separator: ", "))."
        case .repeatedParameter(let name):
            return "The search parameter \(name) may be given only once."
        }
    }

    /// The FHIR `IssueType` code for an OperationOutcome about this error.
    public var issueCode: String {
        switch self {
        case .unsupportedParameters, .unsupportedInclude, .unsupportedSort: "not-supported"
        case .invalidValue, .repeatedParameter: "invalid"
        }
    }
}
