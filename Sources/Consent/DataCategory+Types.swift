/// Categories known from the resource type alone, so a caller can decide without parsing a resource.
extension DataCategory {
    /// The categories every resource of `type` has, or nil when they depend on the content
    /// (Observation by profile, category, code and performer; Consent by directive category).
    ///
    /// ```swift
    /// DataCategory.of(resourceType: "Condition")     // [.problems]
    /// DataCategory.of(resourceType: "Spaceship")     // []: no category, only `.everything` reaches it
    /// DataCategory.of(resourceType: "Observation")   // nil: read the resource
    /// ```
    public static func of(resourceType type: String) -> Set<DataCategory>? {
        if contentDependentTypes.keys.contains(type) { return nil }
        return byResourceType[type].map { [$0] } ?? []
    }

    /// Every category set ``of(resource:)`` can give a resource of `type`: one set for most types, all
    /// combinations of the possible categories for the content-dependent ones. A decision that comes out
    /// the same for each of them holds for every resource of the type.
    ///
    /// ```swift
    /// DataCategory.possibleSets(resourceType: "Consent")   // [[], [.directives]]
    /// ```
    public static func possibleSets(resourceType type: String) -> [Set<DataCategory>] {
        guard let possible = contentDependentTypes[type] else { return [of(resourceType: type) ?? []] }
        // All subsets, the empty one included (an Observation with no recognised profile or code).
        return (0..<(1 << possible.count)).map { mask in
            Set(possible.indices.filter { mask & (1 << $0) != 0 }.map { possible[$0] })
        }
    }

    /// Types whose categories ``of(resource:)`` reads from the content, with every category it can give.
    private static let contentDependentTypes: [String: [DataCategory]] = [
        "Observation": [.functionalStatus, .socialHistory, .vitalSigns, .labResults, .selfMeasurements],
        "Consent": [.directives],
    ]
}
