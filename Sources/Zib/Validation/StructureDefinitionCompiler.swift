import FHIR

/// Compiles official (Nictiz STU3) StructureDefinitions into the rules ``ProfileValidator`` checks.
///
/// The Nictiz package ships differentials only, no snapshots. A differential states what a profile
/// adds to its base, so a profile derived from another Nictiz profile is compiled as its base's
/// rules with its own merged over them (pass the compiled base). Profiles on FHIR core types get a
/// small hand-written baseline of the core's required elements and bindings (``CoreBaseline``),
/// because the core StructureDefinitions are not among the project's inputs.
///
/// ```swift
/// let observation = try StructureDefinitionCompiler.compile(
///     structureDefinitionXML: nlCoreObservationXML, valueSets: valueSets)
/// let bloodPressure = try StructureDefinitionCompiler.compile(
///     structureDefinitionXML: bloodPressureXML, valueSets: valueSets, base: observation)
/// bloodPressure.rules.first { $0.path == "Observation.component:SystolicBP" }?.min  // 1
/// ```
public enum StructureDefinitionCompiler {
    public static func compile(
        structureDefinitionXML: [UInt8], valueSets: [String: ValueSetExpansion], base: ProfileDefinition? = nil,
        resourceType: TargetTypeResolver = coreResourceType
    ) throws(ProfileCompileError) -> ProfileDefinition {
        let resource: FHIRResource
        do {
            resource = try FHIRXML.parseResource(structureDefinitionXML)
        } catch {
            throw .unreadableFile(path: "StructureDefinition XML", reason: error.description)
        }
        return try compile(structureDefinition: resource, valueSets: valueSets, base: base, resourceType: resourceType)
    }

    public static func compile(
        structureDefinition: FHIRResource, valueSets: [String: ValueSetExpansion], base: ProfileDefinition? = nil,
        resourceType: TargetTypeResolver = coreResourceType
    ) throws(ProfileCompileError) -> ProfileDefinition {
        guard structureDefinition.resourceType == "StructureDefinition" else {
            throw .notAStructureDefinition(structureDefinition.resourceType)
        }
        guard let url = structureDefinition["url"]?.stringValue, let type = structureDefinition["type"]?.stringValue
        else { throw .notAStructureDefinition(structureDefinition.id ?? "without url or type") }
        let elements = (structureDefinition["snapshot"]?["element"] ?? structureDefinition["differential"]?["element"])?
            .elements ?? []
        guard !elements.isEmpty else { throw .noElements(url: url) }

        var rules = RuleSet(base?.rules ?? CoreBaseline.rules(for: type))
        for element in elements {
            // A slice is kept even when it says nothing itself: its children say what belongs to it.
            guard let rule = rule(for: element, valueSets: valueSets, resourceType: resourceType),
                  !rule.isEmpty || ProfilePath.slicedElement(of: rule.path) != nil else { continue }
            rules.merge(rule)
        }
        rules.deriveSliceMatches()
        let name = url.split(separator: "/").last.map(String.init) ?? url
        return ProfileDefinition(
            url: url, name: name, type: type, baseDefinition: structureDefinition["baseDefinition"]?.stringValue,
            rules: rules.finished())
    }

    /// What one ElementDefinition says, as a rule; nil for elements that cannot be placed.
    static func rule(
        for element: FHIRValue, valueSets: [String: ValueSetExpansion], resourceType: TargetTypeResolver = coreResourceType
    ) -> ProfileRule? {
        guard let id = element["id"]?.stringValue ?? element["path"]?.stringValue else { return nil }
        let path = ProfilePath.normalize(id: id)
        let steps = ProfilePath.steps(path)
        var rule = ProfileRule(path: path)
        let types = element["type"]?.elements ?? []
        if steps.count > 1 {
            rule.min = element["min"]?.numberValue?.intValue
            rule.max = element["max"]?.stringValue
        }
        let lastName = steps.last?.name ?? ""
        if lastName.hasSuffix("[x]"), !types.isEmpty {
            rule.types = types.compactMap { $0["code"]?.stringValue }
        }
        for member in element.objectValue ?? FHIRObject() {
            if member.key.hasPrefix("fixed") { rule.fixed = member.value }
            if member.key.hasPrefix("pattern") { rule.pattern = member.value }
        }
        rule.binding = requiredBinding(element["binding"], valueSets: valueSets)
        if let slicing = element["slicing"], !lastName.hasSuffix("[x]") {
            let discriminators = (slicing["discriminator"]?.elements ?? []).map { discriminator in
                "\(discriminator["type"]?.stringValue ?? "value"):\(discriminator["path"]?.stringValue ?? "$this")"
            }
            rule.slicing = Slicing(discriminators: discriminators, closed: slicing["rules"]?.stringValue == "closed")
        }
        let profiles = types.flatMap { type in (type["profile"]?.elements ?? []).compactMap(\.stringValue) }
        if lastName == "extension" || lastName == "modifierExtension" {
            // An extension slice is identified by the extension's url, which is its type's profile.
            if steps.last?.slice != nil, let url = profiles.first {
                rule.sliceMatch = [SliceCriterion(path: "url", fixed: .string(url))]
            }
        } else {
            let own = profiles.filter { !$0.hasPrefix("http://hl7.org/fhir/StructureDefinition/") }
            if !own.isEmpty { rule.typeProfiles = own }
        }
        rule.targetTypes = targetTypes(of: types, resourceType: resourceType)
        return rule
    }

    /// Maps a `targetProfile` URL to the resource type it constrains, nil when it cannot tell.
    public typealias TargetTypeResolver = (String) -> String?

    /// The resource type of a FHIR core StructureDefinition URL (`…/StructureDefinition/Patient`).
    public static func coreResourceType(_ url: String) -> String? {
        let prefix = "http://hl7.org/fhir/StructureDefinition/"
        guard url.hasPrefix(prefix) else { return nil }
        let name = String(url.dropFirst(prefix.count))
        return FHIRSchema.stu3.type(named: name)?.isResource == true ? name : nil
    }

    /// The resource types the Reference types of an element allow, sorted; nil when any will do: a
    /// Reference type without `targetProfile`, one to `Resource`, or one this compiler cannot resolve
    /// (leaving the element unchecked rather than refusing references that may well be right).
    static func targetTypes(of types: [FHIRValue], resourceType: TargetTypeResolver) -> [String]? {
        let references = types.filter { $0["code"]?.stringValue == "Reference" }
        guard !references.isEmpty else { return nil }
        var allowed: Set<String> = []
        for type in references {
            let targets = (type["targetProfile"]?.elements ?? []).compactMap(\.stringValue)
            guard !targets.isEmpty else { return nil }
            for target in targets {
                guard let name = resourceType(target), name != "Resource", name != "DomainResource" else { return nil }
                allowed.insert(name)
            }
        }
        return allowed.sorted()
    }

    static func requiredBinding(_ binding: FHIRValue?, valueSets: [String: ValueSetExpansion]) -> RequiredBinding? {
        guard let binding, binding["strength"]?.stringValue == "required",
              let url = binding["valueSetReference"]?["reference"]?.stringValue ?? binding["valueSetUri"]?.stringValue
                  ?? binding["valueSet"]?.stringValue,
              let expansion = (valueSets[url] ?? ValueSetExpansion.core[url])?.resolved(in: valueSets)
        else { return nil }
        return RequiredBinding(valueSet: url, codes: expansion.codes.sorted(), anyCodeOf: expansion.wholeSystems.sorted())
    }
}

/// Rules keyed by path in first-seen order, merged field by field: a derived profile's statement
/// about an element replaces what its base said about the same aspect and keeps the rest.
struct RuleSet {
    private var order: [String] = []
    private var byPath: [String: ProfileRule] = [:]

    init(_ rules: [ProfileRule]) {
        for rule in rules { merge(rule) }
    }

    mutating func merge(_ rule: ProfileRule) {
        guard var existing = byPath[rule.path] else {
            order.append(rule.path)
            byPath[rule.path] = rule
            return
        }
        existing.min = rule.min ?? existing.min
        existing.max = rule.max ?? existing.max
        existing.types = rule.types ?? existing.types
        existing.fixed = rule.fixed ?? existing.fixed
        existing.pattern = rule.pattern ?? existing.pattern
        existing.binding = rule.binding ?? existing.binding
        existing.slicing = rule.slicing ?? existing.slicing
        existing.sliceMatch = rule.sliceMatch ?? existing.sliceMatch
        existing.typeProfiles = rule.typeProfiles ?? existing.typeProfiles
        existing.targetTypes = rule.targetTypes ?? existing.targetTypes
        byPath[rule.path] = existing
    }

    /// Gives every slice without criteria the fixed or pattern values its children declare at the
    /// slicing's discriminator paths.
    mutating func deriveSliceMatches() {
        for path in order {
            guard let rule = byPath[path], rule.sliceMatch == nil,
                  let (element, _) = ProfilePath.slicedElement(of: path) else { continue }
            var discriminators = byPath[element]?.slicing?.discriminators ?? []
            // FHIR slices every extension element by url without saying so in differentials.
            if discriminators.isEmpty, element.hasSuffix("xtension") { discriminators = ["value:url"] }
            var criteria: [SliceCriterion] = []
            for discriminator in discriminators {
                guard discriminator.hasPrefix("value:") || discriminator.hasPrefix("pattern:") else { continue }
                let relative = String(discriminator.drop { $0 != ":" }.dropFirst())
                criteria += self.criteria(slice: path, relative: relative)
            }
            // Inside a complex extension, a nested extension without a url of its own is identified
            // by its slice name, as in the core extensions (`patient-nationality` has `code`, `period`).
            if criteria.isEmpty, element.hasSuffix(".extension"), let slice = ProfilePath.steps(path).last?.slice,
               ProfilePath.steps(element).dropLast().last?.slice != nil {
                criteria = [SliceCriterion(path: "url", fixed: .string(slice))]
            }
            byPath[path]?.sliceMatch = criteria
        }
    }

    /// Fixed or pattern values of the slice at, above or below `relative`, outside nested slices.
    private func criteria(slice: String, relative: String) -> [SliceCriterion] {
        if relative == "$this" {
            guard let rule = byPath[slice], rule.fixed != nil || rule.pattern != nil else { return [] }
            return [SliceCriterion(path: "$this", fixed: rule.fixed, pattern: rule.pattern)]
        }
        let target = relative.split(separator: ".").map(String.init)
        var found: [SliceCriterion] = []
        for path in order where path.hasPrefix(slice + ".") {
            let rest = String(path.dropFirst(slice.count + 1))
            guard !rest.contains(":"), let rule = byPath[path], rule.fixed != nil || rule.pattern != nil else { continue }
            let steps = rest.split(separator: ".").map(String.init)
            let related = steps.starts(with: target) || target.starts(with: steps)
            if related { found.append(SliceCriterion(path: rest, fixed: rule.fixed, pattern: rule.pattern)) }
        }
        return found
    }

    /// The rules in order, without slices nobody can recognise (no criteria) and their children:
    /// checking those would refuse occurrences that may well belong to them.
    func finished() -> [ProfileRule] {
        let unmatchable = order.filter { byPath[$0]?.sliceMatch?.isEmpty == true }
        return order.compactMap { path in
            let hidden = unmatchable.contains { path == $0 || path.hasPrefix($0 + ".") }
            return hidden ? nil : byPath[path]
        }
    }
}
