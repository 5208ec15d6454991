/// Per-resource disclosure decisions the caller makes while the store runs a search: the gateway's
/// consent policy plugs in here. The store knows nothing of consent; it only asks, and leaves out what
/// is refused, so that pages are filled, totals counted and `_include`s followed over admitted
/// resources only.
///
/// ```swift
/// let filter = DisclosureFilter(
///     verdict: { type in type == "Condition" ? .all : .eachResource },
///     admitsMatch: { stored in policy.permits(stored) },
///     admitsInclude: { included, referrer in policy.permits(included, reachedFrom: referrer) })
/// let result = try await repository.search(query, scope: scope, page: page, filter: filter)
/// ```
public struct DisclosureFilter: Sendable {
    /// What is known for every match of a type before looking at any one of them.
    public enum Verdict: Sendable, Hashable {
        /// Every match may be disclosed: the search runs as if unfiltered.
        case all
        /// No match may be disclosed: nothing is read.
        case none
        /// Ask ``admitsMatch`` for each match.
        case eachResource
    }

    /// Asked once per search for the searched type.
    public var verdict: @Sendable (_ resourceType: String) -> Verdict
    /// Whether one match may be disclosed.
    public var admitsMatch: @Sendable (StoredResource) -> Bool
    /// Whether a resource reached by `_include` from `referrer` (an admitted match) may be disclosed.
    public var admitsInclude: @Sendable (_ included: StoredResource, _ referrer: StoredResource) -> Bool

    public init(
        verdict: @escaping @Sendable (_ resourceType: String) -> Verdict,
        admitsMatch: @escaping @Sendable (StoredResource) -> Bool,
        admitsInclude: @escaping @Sendable (_ included: StoredResource, _ referrer: StoredResource) -> Bool
    ) {
        self.verdict = verdict
        self.admitsMatch = admitsMatch
        self.admitsInclude = admitsInclude
    }
}

/// A search result under a ``DisclosureFilter``: `result.total` counts admitted matches only, and what
/// was left out is counted for the audit log.
public struct FilteredSearchResult: Sendable {
    public var result: SearchResult
    /// Matches of the whole search (every page, within the snapshot) the filter refused.
    public var withheldMatches: Int
    /// Resources `_include` reached from this page's matches that the filter refused.
    public var withheldIncludes: Int

    public init(result: SearchResult, withheldMatches: Int, withheldIncludes: Int) {
        self.result = result
        self.withheldMatches = withheldMatches
        self.withheldIncludes = withheldIncludes
    }
}
