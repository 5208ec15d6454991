/// The search parameters and `_include`s the server offers, per resource type.
///
/// Immutable once built; look-ups are dictionary hits, so the registry can sit on every request path
/// and be shared across tasks freely.
///
/// ```swift
/// let registry = SearchParameterRegistry.stu3
/// registry.parameter("code", on: "Observation")?.type          // .token
/// registry.parameters(for: "Binary").map(\.name)                // ["_id", "_lastUpdated"]
/// registry.includes(for: "Coverage").map(\.description)         // ["Coverage:payor:Patient", ...]
/// ```
public struct SearchParameterRegistry: Sendable {
    private struct ResourceParameters: Sendable {
        var list: [SearchParameterDefinition]
        var byName: [String: SearchParameterDefinition]

        init(_ list: [SearchParameterDefinition]) {
            // The first definition of a name wins, so a resource type can override a common parameter
            // by listing it first.
            var unique: [SearchParameterDefinition] = []
            var byName: [String: SearchParameterDefinition] = [:]
            for definition in list where byName[definition.name] == nil {
                byName[definition.name] = definition
                unique.append(definition)
            }
            self.list = unique
            self.byName = byName
        }
    }

    private let byType: [String: ResourceParameters]
    private let fallback: ResourceParameters
    private let includesByType: [String: [IncludeDefinition]]

    /// - Parameters:
    ///   - parametersByType: the complete list of parameters for each resource type the registry knows.
    ///   - defaultParameters: the parameters of any other resource type (normally the common ones
    ///     such as `_id`); whether a resource type exists at all is not the registry's business.
    ///   - includes: the `_include`s offered. Includes naming a parameter that is not a reference
    ///     parameter of their source type are dropped, since they could never be evaluated.
    public init(
        parametersByType: [String: [SearchParameterDefinition]],
        defaultParameters: [SearchParameterDefinition],
        includes: [IncludeDefinition]
    ) {
        let byType = parametersByType.mapValues(ResourceParameters.init)
        let fallback = ResourceParameters(defaultParameters)
        var includesByType: [String: [IncludeDefinition]] = [:]
        for include in includes {
            let parameters = byType[include.sourceType] ?? fallback
            guard let definition = parameters.byName[include.parameter], definition.type == .reference else { continue }
            if let target = include.targetType, !definition.targets.isEmpty, !definition.targets.contains(target) {
                continue
            }
            includesByType[include.sourceType, default: []].append(include)
        }
        self.byType = byType
        self.fallback = fallback
        self.includesByType = includesByType
    }

    /// Resource types with parameters of their own, sorted (for a CapabilityStatement).
    public var resourceTypes: [String] {
        byType.keys.sorted()
    }

    /// All parameters of `resourceType`, common ones first, in a stable order.
    public func parameters(for resourceType: String) -> [SearchParameterDefinition] {
        (byType[resourceType] ?? fallback).list
    }

    /// The parameter called `name` (without modifier) on `resourceType`, if offered.
    public func parameter(_ name: String, on resourceType: String) -> SearchParameterDefinition? {
        (byType[resourceType] ?? fallback).byName[name]
    }

    /// The `_include`s offered for searches on `resourceType`.
    public func includes(for resourceType: String) -> [IncludeDefinition] {
        includesByType[resourceType] ?? []
    }
}

/// Collects the parameters of one resource type with one short call per parameter, which keeps the
/// STU3 tables readable and avoids the slow type-checking of one huge collection literal.
struct ParameterList {
    private(set) var parameters: [SearchParameterDefinition] = []

    mutating func token(_ name: String, _ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: name, type: .token, paths: paths))
    }

    mutating func string(_ name: String, _ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: name, type: .string, paths: paths))
    }

    mutating func date(_ name: String, _ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: name, type: .date, paths: paths))
    }

    mutating func quantity(_ name: String, _ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: name, type: .quantity, paths: paths))
    }

    mutating func number(_ name: String, _ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: name, type: .number, paths: paths))
    }

    mutating func uri(_ name: String, _ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: name, type: .uri, paths: paths))
    }

    /// `targets` empty means the reference may point to any resource type.
    mutating func reference(_ name: String, _ paths: ElementPath..., to targets: [String]) {
        parameters.append(SearchParameterDefinition(name: name, type: .reference, paths: paths, targets: targets))
    }

    /// The `patient` parameter: the given reference elements, counted only when they point to a Patient.
    mutating func patient(_ paths: ElementPath...) {
        parameters.append(SearchParameterDefinition(name: "patient", type: .reference, paths: paths, targets: ["Patient"]))
    }

    // Groups of parameters that STU3 defines identically on several resource types.

    mutating func address(at path: String = "address") {
        string("address", ElementPath(path))
        string("address-city", ElementPath(path + ".city"))
        string("address-country", ElementPath(path + ".country"))
        string("address-postalcode", ElementPath(path + ".postalCode"))
        string("address-state", ElementPath(path + ".state"))
        token("address-use", ElementPath(path + ".use"))
    }

    mutating func telecom() {
        token("email", "telecom[system=email]")
        token("phone", "telecom[system=phone]")
        token("telecom", "telecom")
    }

    mutating func humanName() {
        string("name", "name")
        string("family", "name.family")
        string("given", "name.given")
    }
}
