import FHIR

/// Walks a resource against the FHIR STU3 base definition (``FHIRSchema/stu3``), whatever profiles it
/// claims: the rules every resource must keep before any profile is looked at.
///
/// - Every member must be an element its type defines, inside backbone elements and data types too
///   (`_name` only beside a primitive); an element repeats only where it may, and holds the kind of
///   value its type has (an object for a data type, a string for a `code` …).
/// - `ele-1` (a value or children), `ext-1` (an extension has a value or extensions, not both, and a
///   url) and `ref-1` (a local reference names a contained resource) are checked on the way.
/// - A `modifierExtension` must be one a claimed profile defines at that element: FHIR requires a
///   system to refuse modifier extensions it does not understand, because they change the meaning of
///   the element that holds them.
///
/// ```swift
/// var check = BaseDefinitionCheck(understood: { _ in [] })
/// check.checkResource(observation.content, location: "Observation")
/// check.issues.map(\.location)  // ["Observation.foo"] for an unknown element foo
/// ```
struct BaseDefinitionCheck {
    let schema = FHIRSchema.stu3
    /// The modifier extensions a resource's claimed profiles define, as `elementPath|url`.
    let understood: (FHIRObject) -> Set<String>
    private(set) var issues: [ValidationIssue] = []
    /// The ids of the root resource's contained resources, which local references must name.
    private var containedIDs: Set<String> = []
    private var depth = 0

    init(understood: @escaping (FHIRObject) -> Set<String>) {
        self.understood = understood
    }

    /// Checks a root resource (its contained resources included).
    mutating func checkRoot(_ resource: FHIRObject, location: String) {
        containedIDs = Set((resource["contained"]?.elements ?? []).compactMap { $0["id"]?.stringValue })
        checkResource(resource, location: location)
    }

    private mutating func checkResource(_ resource: FHIRObject, location: String) {
        guard let name = resource["resourceType"]?.stringValue, let type = schema.type(named: name), type.kind == .resource else {
            report(location, "resource type", "'\(resource["resourceType"]?.stringValue ?? "")' is not an STU3 resource type", .structure)
            return
        }
        checkMembers(of: resource, type: type, location: location, path: name, understood: understood(resource))
        issues += ResourceInvariants.check(resource, type: name, location: location)
    }

    private mutating func checkMembers(
        of object: FHIRObject, type: FHIRSchema.TypeDefinition, location: String, path: String, understood: Set<String>
    ) {
        for member in object {
            let key = member.key
            if key == "resourceType", type.isResource { continue }
            if key.hasPrefix("_") {
                let name = String(key.dropFirst())
                guard let element = type.element(named: name), element.isPrimitive else {
                    unknownElement(key, of: type, location: location)
                    continue
                }
                // A primitive with a value is checked together with its `_name` twin, at the value.
                if object[name] == nil {
                    checkElement(element, value: nil, shadow: member.value, location: location, path: path, understood: understood)
                }
                continue
            }
            guard let element = type.element(named: key) else {
                unknownElement(key, of: type, location: location)
                continue
            }
            let shadow = element.isPrimitive ? object["_" + key] : nil
            checkElement(element, value: member.value, shadow: shadow, location: location, path: path, understood: understood)
        }
        if !type.isResource, object.keys.allSatisfy({ $0 == "id" }) {
            issues.append(CoreInvariant.ele1.issue(at: location, "the element is empty"))
        }
    }

    private mutating func checkElement(
        _ element: FHIRSchema.ElementDefinition, value: FHIRValue?, shadow: FHIRValue?, location: String, path: String,
        understood: Set<String>
    ) {
        let here = "\(location).\(element.name)"
        let elementPath = "\(path).\(element.name)"
        guard element.isArray else {
            if value?.arrayValue != nil || shadow?.arrayValue != nil {
                report(here, "max 1 on \(elementPath)", "\(element.name) does not repeat in FHIR STU3, found an array", .structure)
                return
            }
            checkItem(element, value: value, shadow: shadow, location: here, path: elementPath, understood: understood)
            return
        }
        if (value.map { $0.arrayValue == nil } ?? false) || (shadow.map { $0.arrayValue == nil } ?? false) {
            report(here, "array \(elementPath)", "\(element.name) repeats, so JSON must hold an array", .structure)
            return
        }
        let values = value?.arrayValue ?? []
        let shadows = shadow?.arrayValue ?? []
        if value != nil, shadow != nil, values.count != shadows.count {
            report(here, "array \(elementPath)", "\(element.name) and _\(element.name) must have the same length", .structure)
            return
        }
        guard !values.isEmpty || !shadows.isEmpty else {
            issues.append(CoreInvariant.ele1.issue(at: here, "an empty array"))
            return
        }
        for index in 0..<max(values.count, shadows.count) {
            checkItem(
                element, value: index < values.count ? values[index] : nil, shadow: index < shadows.count ? shadows[index] : nil,
                location: "\(here)[\(index)]", path: elementPath, understood: understood)
        }
    }

    private mutating func checkItem(
        _ element: FHIRSchema.ElementDefinition, value rawValue: FHIRValue?, shadow rawShadow: FHIRValue?, location: String,
        path: String, understood: Set<String>
    ) {
        let value = rawValue?.isNull == true ? nil : rawValue
        let shadow = rawShadow?.isNull == true ? nil : rawShadow
        switch element.kind {
        case .primitive(let kind):
            checkPrimitive(kind, value: value, shadow: shadow, location: location, path: path, understood: understood)
        case .xhtml:
            if value?.stringValue == nil { report(location, "type xhtml", "the narrative div must be a string of XHTML", .structure) }
        case .resource:
            guard let object = value?.objectValue, object["resourceType"] != nil else {
                report(location, "type Resource", "must hold a resource with its resourceType", .structure)
                return
            }
            descend { $0.checkResource(object, location: location) }
        case .complex:
            guard let object = value?.objectValue else {
                report(location, "type \(element.typeCode)", "must be an object (\(element.typeCode))", .structure)
                return
            }
            guard let type = schema.type(named: element.typeCode) else { return }
            descend { $0.checkMembers(of: object, type: type, location: location, path: path, understood: understood) }
            if type.name == "Extension" { checkExtension(object, location: location) }
            if type.name == "Reference" { checkLocalReference(object, location: location) }
            if element.name == "modifierExtension" {
                checkModifierExtension(object, location: location, path: path, understood: understood)
            }
        }
    }

    private mutating func checkPrimitive(
        _ kind: FHIRSchema.ElementDefinition.JSONKind, value: FHIRValue?, shadow: FHIRValue?, location: String, path: String,
        understood: Set<String>
    ) {
        if let shadow {
            guard let object = shadow.objectValue, let elementType = schema.type(named: "Element") else {
                report(location, "primitive extras", "the _ twin of a primitive must be an object with id and extension", .structure)
                return
            }
            descend { $0.checkMembers(of: object, type: elementType, location: location, path: path, understood: understood) }
        }
        guard let value else {
            if shadow?["extension"] == nil { issues.append(CoreInvariant.ele1.issue(at: location, "neither a value nor extensions")) }
            return
        }
        switch (kind, value) {
        case (.string, .string(let text)):
            if text.isEmpty { issues.append(CoreInvariant.ele1.issue(at: location, "an empty string is no value")) }
        case (.number, .number), (.boolean, .boolean):
            break
        default:
            let expected = switch kind {
            case .string: "a string"
            case .number: "a number"
            case .boolean: "true or false"
            }
            report(location, "primitive type", "must be \(expected)", .structure)
        }
    }

    private mutating func checkExtension(_ object: FHIRObject, location: String) {
        if object["url"]?.stringValue == nil {
            report(location, "min 1 on Extension.url", "an extension needs its url", .required)
        }
        let hasValue = object.keys.contains { $0.hasPrefix("value") }
        let hasExtensions = object["extension"] != nil
        if hasValue == hasExtensions {
            issues.append(CoreInvariant.ext1.issue(at: location, hasValue ? "it has both" : "it has neither"))
        }
    }

    private mutating func checkLocalReference(_ object: FHIRObject, location: String) {
        guard let reference = object["reference"]?.stringValue, reference.hasPrefix("#") else { return }
        if !containedIDs.contains(String(reference.dropFirst())) {
            issues.append(CoreInvariant.ref1.issue(at: "\(location).reference", "no contained resource has id '\(reference.dropFirst())'"))
        }
    }

    private mutating func checkModifierExtension(_ object: FHIRObject, location: String, path: String, understood: Set<String>) {
        guard let url = object["url"]?.stringValue else { return }
        guard !understood.contains("\(path)|\(url)") else { return }
        report(
            location, "modifierExtension not understood",
            "\(url) may change the meaning of this element, and no profile the resource claims defines it here", .extension)
    }

    /// Recursion guard: the parser limits nesting already; this keeps a hand-built value from looping.
    private mutating func descend(_ body: (inout BaseDefinitionCheck) -> Void) {
        guard depth < 64 else { return }
        depth += 1
        body(&self)
        depth -= 1
    }

    private mutating func unknownElement(_ key: String, of type: FHIRSchema.TypeDefinition, location: String) {
        report(
            "\(location).\(key)", "unknown element", "'\(key)' is not an element of \(type.name) in the FHIR STU3 base definition",
            .structure)
    }

    private mutating func report(_ location: String, _ rule: String, _ message: String, _ code: OperationOutcome.IssueType) {
        issues.append(ValidationIssue(severity: .error, location: location, rule: rule, message: message, code: code))
    }
}
