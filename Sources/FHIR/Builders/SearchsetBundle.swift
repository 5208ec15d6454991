/// Builds the Bundle of type `searchset` that answers a FHIR search.
///
/// ```swift
/// let bundle = SearchsetBundle(
///     id: "b1", total: 1, selfLink: "https://example.org/fhir/Patient?name=jan", nextLink: nil,
///     entries: [.init(fullUrl: "https://example.org/fhir/Patient/p1", resource: patient, mode: .match)]
/// )
/// FHIRJSON.serialize(bundle.resource)
/// ```
public struct SearchsetBundle: Sendable, Hashable {
    /// One search result with its absolute URL and why it is in the bundle.
    public struct Entry: Sendable, Hashable {
        /// Bundle.entry.search.mode: a match of the search, an `_include`d resource, or an outcome.
        public enum Mode: String, Sendable, Hashable, CaseIterable {
            case match, include, outcome
        }

        /// The resource's absolute URL, such as `https://example.org/fhir/Patient/p1`.
        public var fullUrl: String
        public var resource: FHIRResource
        public var mode: Mode

        /// ```swift
        /// SearchsetBundle.Entry(fullUrl: "https://example.org/fhir/Patient/p1", resource: patient, mode: .match)
        /// ```
        public init(fullUrl: String, resource: FHIRResource, mode: Mode) {
            self.fullUrl = fullUrl
            self.resource = resource
            self.mode = mode
        }
    }

    /// The Bundle's own id; a searchset is generated per request.
    public var id: String
    /// Number of matches in the whole result set; nil when the server did not count.
    public var total: Int?
    /// The search as the server understood it (link relation `self`).
    public var selfLink: String
    /// The next page, when there is one (link relation `next`).
    public var nextLink: String?
    public var entries: [Entry]
    /// `meta.lastUpdated`, an instant such as "2024-05-01T12:00:00Z".
    public var lastUpdated: String?

    /// ```swift
    /// SearchsetBundle(id: "b1", total: 0, selfLink: "https://example.org/fhir/Patient", nextLink: nil, entries: [])
    /// ```
    public init(id: String, total: Int?, selfLink: String, nextLink: String?, entries: [Entry], lastUpdated: String? = nil) {
        self.id = id
        self.total = total
        self.selfLink = selfLink
        self.nextLink = nextLink
        self.entries = entries
        self.lastUpdated = lastUpdated
    }

    /// The Bundle, its members in STU3 definition order.
    ///
    /// ```swift
    /// let body = FHIRJSON.serialize(bundle.resource)
    /// ```
    public var resource: FHIRResource {
        var content: FHIRObject = ["resourceType": "Bundle", "id": .string(id)]
        if let lastUpdated { content["meta"] = ["lastUpdated": .string(lastUpdated)] }
        content["type"] = "searchset"
        if let total { content["total"] = .number(FHIRNumber(total)) }
        var links: [FHIRValue] = [["relation": "self", "url": .string(selfLink)]]
        if let nextLink { links.append(["relation": "next", "url": .string(nextLink)]) }
        content["link"] = .array(links)
        if !entries.isEmpty {
            content["entry"] = .array(entries.map { entry in
                [
                    "fullUrl": .string(entry.fullUrl),
                    "resource": .object(entry.resource.content),
                    "search": ["mode": .string(entry.mode.rawValue)],
                ]
            })
        }
        return FHIRResource(trusted: content)
    }
}
