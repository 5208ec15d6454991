import FHIR

/// One occurrence of an element in a resource: its value, the `_name` object that carries a
/// primitive's id and extensions, and where it is.
struct Occurrence {
    var value: FHIRValue
    var shadow: FHIRObject?
    var location: String
}

/// Walks a resource and a profile's rule tree together, collecting issues.
///
/// Cardinalities hold per occurrence of the parent (every component needs a code), slice rules hold
/// for the occurrences that belong to the slice, and nested extensions and data type profiles are
/// checked with their own definitions when the validator knows them.
struct RuleWalker {
    let validator: ProfileValidator
    private(set) var issues: [ValidationIssue] = []
    /// The types of the root resource's contained resources by id, to type `#id` references.
    let containedTypes: [String: String]
    /// Guards against profiles that (indirectly) require themselves.
    private var depth = 0

    init(validator: ProfileValidator, containedTypes: [String: String] = [:]) {
        self.validator = validator
        self.containedTypes = containedTypes
    }

    mutating func check(_ occurrence: Occurrence, against profile: ProfileDefinition) {
        guard depth < 16, let tree = validator.trees[profile.url] else { return }
        depth += 1
        defer { depth -= 1 }
        checkChildren(of: occurrence, node: tree.root, profile: profile)
    }

    private mutating func checkChildren(of parent: Occurrence, node: RuleTree.Node, profile: ProfileDefinition) {
        for child in node.children {
            check(child, occurrences: Self.children(of: parent, named: child.name), parent: parent, profile: profile)
        }
    }

    private mutating func check(
        _ node: RuleTree.Node, occurrences: [Occurrence], parent: Occurrence, profile: ProfileDefinition
    ) {
        let location = "\(parent.location).\(node.name)"
        if let rule = node.rule {
            checkCardinality(rule, count: occurrences.count, location: location, profile: profile)
            for occurrence in occurrences { checkValue(occurrence, rule: rule, profile: profile) }
        }
        for occurrence in occurrences {
            checkChildren(of: occurrence, node: node, profile: profile)
            if node.name == "extension" || node.name == "modifierExtension" {
                checkExtensionDefinition(occurrence)
            }
        }
        guard !node.slices.isEmpty else { return }
        var unsliced: [Occurrence] = []
        var members = Array(repeating: [Occurrence](), count: node.slices.count)
        for occurrence in occurrences {
            if let index = node.slices.firstIndex(where: { ValueMatching.satisfies(occurrence.value, criteria: $0.criteria) }) {
                members[index].append(occurrence)
            } else {
                unsliced.append(occurrence)
            }
        }
        for (slice, sliceMembers) in zip(node.slices, members) {
            if let rule = slice.node.rule {
                checkCardinality(rule, count: sliceMembers.count, location: location, profile: profile)
                for occurrence in sliceMembers { checkValue(occurrence, rule: rule, profile: profile) }
            }
            for occurrence in sliceMembers { checkChildren(of: occurrence, node: slice.node, profile: profile) }
        }
        if let rule = node.rule, rule.slicing?.closed == true {
            for occurrence in unsliced {
                report(occurrence.location, "closed slicing on \(rule.path)", profile,
                       "belongs to none of the slices \(node.slices.map(\.name).joined(separator: ", "))", .structure)
            }
        }
    }

    private mutating func checkCardinality(_ rule: ProfileRule, count: Int, location: String, profile: ProfileDefinition) {
        if let min = rule.min, count < min {
            report(location, "min \(min) on \(rule.path)", profile, "needs at least \(min), found \(count)", .required)
        }
        if let max = rule.max, let limit = Int(max), count > limit {
            report(location, "max \(max) on \(rule.path)", profile, "allows at most \(max), found \(count)", .structure)
        }
    }

    private mutating func checkValue(_ occurrence: Occurrence, rule: ProfileRule, profile: ProfileDefinition) {
        let value = occurrence.value
        if let types = rule.types, let type = Self.choiceType(of: occurrence, path: rule.path),
           !types.contains(where: { $0.lowercased() == type.lowercased() }) {
            report(occurrence.location, "types \(types.joined(separator: ", ")) on \(rule.path)", profile,
                   "type \(type) is not allowed here", .structure)
        }
        if let fixed = rule.fixed, !ValueMatching.equalsFixed(value, fixed: fixed) {
            report(occurrence.location, "fixed value \(ValueMatching.render(fixed))", profile,
                   "must be exactly \(ValueMatching.render(fixed)), found \(ValueMatching.render(value))", .value)
        }
        if let pattern = rule.pattern, !ValueMatching.matches(value, pattern: pattern) {
            report(occurrence.location, "pattern \(ValueMatching.render(pattern))", profile,
                   "must contain \(ValueMatching.render(pattern)), found \(ValueMatching.render(value))", .value)
        }
        if let binding = rule.binding, !value.isNull, !ValueMatching.isAllowed(value, by: binding) {
            report(occurrence.location, "required binding \(binding.valueSet)", profile,
                   "\(ValueMatching.render(value)) is not in the required value set", .codeInvalid)
        }
        if let targets = rule.targetTypes { checkTarget(occurrence, allowed: targets, rule: rule, profile: profile) }
        for url in rule.typeProfiles ?? [] {
            if let typeProfile = validator.profiles[url], value.objectValue != nil { check(occurrence, against: typeProfile) }
        }
    }

    /// An extension whose url the validator knows is checked against that extension's definition.
    private mutating func checkExtensionDefinition(_ occurrence: Occurrence) {
        guard let url = occurrence.value["url"]?.stringValue, let definition = validator.profiles[url],
              definition.type == "Extension" else { return }
        check(occurrence, against: definition)
    }

    /// A reference to `Type/id` (relative, absolute or versioned) or to a contained resource must name a
    /// type the profile's `targetProfile`s allow. References the gateway cannot type (`urn:uuid:`,
    /// identifier-only, display-only) are left alone.
    private mutating func checkTarget(_ occurrence: Occurrence, allowed: [String], rule: ProfileRule, profile: ProfileDefinition) {
        guard let reference = occurrence.value["reference"]?.stringValue,
              let type = ReferenceTarget.type(of: reference, containedTypes: containedTypes),
              !allowed.contains(type) else { return }
        report("\(occurrence.location).reference", "target types \(allowed.joined(separator: ", ")) on \(rule.path)", profile,
               "refers to a \(type), which this element does not allow", .structure)
    }

    private mutating func report(
        _ location: String, _ rule: String, _ profile: ProfileDefinition, _ message: String, _ code: OperationOutcome.IssueType
    ) {
        issues.append(ValidationIssue(
            severity: .error, location: location, rule: "\(rule) (\(profile.name))", message: message, code: code))
    }

    /// The occurrences of element `name` (a choice `value[x]` gathers every `valueX`) in `parent`,
    /// located with array indices where the element repeats.
    static func children(of parent: Occurrence, named name: String) -> [Occurrence] {
        var keys: [String]
        if name.hasSuffix("[x]") {
            let stem = String(name.dropLast(3))
            keys = (parent.value.objectValue?.keys ?? []).filter { key in
                key.hasPrefix(stem) && key.dropFirst(stem.count).first?.isUppercase == true
            }
        } else {
            keys = [name]
        }
        // A primitive's id and extensions live in its `_name` twin.
        let fromShadow = name == "extension" || name == "id"
        guard !fromShadow || parent.shadow == nil else {
            return occurrences(parent.shadow?[name], shadow: nil, location: "\(parent.location).\(name)")
        }
        keys = keys.filter { parent.value[$0] != nil || parent.value["_" + $0] != nil }
        return keys.flatMap { key in
            occurrences(parent.value[key], shadow: parent.value["_" + key], location: "\(parent.location).\(key)")
        }
    }

    private static func occurrences(_ value: FHIRValue?, shadow: FHIRValue?, location: String) -> [Occurrence] {
        let present = value ?? (shadow == nil ? nil : FHIRValue.null)
        switch present {
        case .array(let values)?:
            let shadows = shadow?.arrayValue
            return values.enumerated().map { index, element in
                let twin = shadows.flatMap { index < $0.count ? $0[index].objectValue : nil }
                return Occurrence(value: element, shadow: twin, location: "\(location)[\(index)]")
            }
        case let single?:
            return [Occurrence(value: single, shadow: shadow?.objectValue, location: location)]
        case nil:
            return []
        }
    }

    /// The data type of a choice occurrence, from its JSON name (`…valueQuantity` → `Quantity`).
    private static func choiceType(of occurrence: Occurrence, path: String) -> String? {
        guard let stem = ProfilePath.steps(path).last?.name, stem.hasSuffix("[x]") else { return nil }
        let key = occurrence.location.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? ""
        let type = key.dropFirst(stem.count - 3)
        return type.isEmpty ? nil : String(type)
    }
}
