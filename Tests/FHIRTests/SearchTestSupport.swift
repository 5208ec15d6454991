import FHIR
import Testing

/// Helpers shared by the Search* test files.
enum SearchTestSupport {
    /// Splits an already percent-decoded query string (`a=1&b:x=2`) into name/value pairs, the way
    /// the HTTP layer hands them to `SearchQuery.parse`.
    static func parameters(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (String(pair), "") }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
    }

    static func parse(_ resourceType: String, _ query: String) throws(SearchQueryError) -> SearchQuery {
        try SearchQuery.parse(resourceType: resourceType, parameters: parameters(query))
    }

    /// The error `parse` throws, or nil when it succeeds.
    static func error(_ resourceType: String, _ query: String) -> SearchQueryError? {
        do {
            _ = try parse(resourceType, query)
            return nil
        } catch {
            return error
        }
    }

    /// Milliseconds since 1970 of a full UTC instant, for readable expectations.
    static func millis(_ text: String) -> Int64 {
        DateRange(fhirDate: text)?.lowerBound ?? .min
    }

    static func resource(_ content: FHIRObject) throws -> FHIRResource {
        try FHIRResource(content)
    }
}
