import FHIR

/// The MedMij BgZ qualification asserts, as a plain check over one resource, plus a structural check
/// against the STU3 type definitions. Returns one human-readable line per problem, empty when clean.
///
/// Checked: `meta.profile` is present (except on Binary and OperationOutcome, as the asserts allow); every element name exists in STU3 with the right cardinality
/// (array or single); every Coding has system, code and display and no zib value-set OID as system;
/// every CodeableConcept has a coding display or a text; every Reference a display; every Identifier
/// a system (or type) and a value.
///
/// ```swift
/// #expect(qualityProblems(in: resource) == [])
/// ```
func qualityProblems(in resource: FHIRResource) -> [String] {
    var problems: [String] = []
    if resource.profiles.isEmpty, !["Binary", "OperationOutcome"].contains(resource.resourceType) { problems.append("\(resource.resourceType): no meta.profile") }
    var checker = QualityChecker()
    checker.walkResource(resource.content, path: resource.resourceType)
    return problems + checker.problems
}

private struct QualityChecker {
    var problems: [String] = []
    let schema = FHIRSchema.stu3

    mutating func walkResource(_ object: FHIRObject, path: String) {
        let typeName = object["resourceType"]?.stringValue ?? ""
        walk(object, typeName: typeName, path: path)
    }

    mutating func walk(_ object: FHIRObject, typeName: String, path: String) {
        check(object, typeName: typeName, path: path)
        guard let type = schema.type(named: typeName) else {
            problems.append("\(path): unknown type \(typeName)")
            return
        }
        for member in object where member.key != "resourceType" {
            let childPath = "\(path).\(member.key)"
            if member.key.hasPrefix("_") {
                // Primitive extras (id, extension) of the element without the underscore.
                let name = String(member.key.dropFirst())
                guard type.element(named: name)?.isPrimitive == true else {
                    problems.append("\(childPath): no primitive \(name) in \(typeName)")
                    continue
                }
                for item in member.value.elements {
                    if let extras = item.objectValue { walk(extras, typeName: "Element", path: childPath) }
                }
                continue
            }
            guard let element = type.element(named: member.key) else {
                problems.append("\(childPath): unknown element of \(typeName)")
                continue
            }
            let isArray = member.value.arrayValue != nil
            if isArray != element.isArray {
                problems.append("\(childPath): \(element.isArray ? "must be an array" : "must not be an array")")
            }
            for item in member.value.elements {
                switch element.kind {
                case .complex:
                    guard let child = item.objectValue else {
                        problems.append("\(childPath): \(element.typeCode) must be an object")
                        continue
                    }
                    walk(child, typeName: element.typeCode, path: childPath)
                case .resource:
                    if let child = item.objectValue { walkResource(child, path: childPath) }
                case .primitive, .xhtml:
                    if item.objectValue != nil || item.arrayValue != nil { problems.append("\(childPath): must be a primitive") }
                }
            }
        }
    }

    /// The per-type qualification asserts.
    mutating func check(_ object: FHIRObject, typeName: String, path: String) {
        func has(_ key: String) -> Bool { object[key]?.stringValue?.isEmpty == false }
        switch typeName {
        case "Coding":
            for key in ["system", "code", "display"] where !has(key) { problems.append("\(path): Coding without \(key)") }
            if object["system"]?.stringValue?.hasPrefix("urn:oid:2.16.840.1.113883.2.4.3.11.60.40.2") == true {
                problems.append("\(path): zib value-set OID used as Coding.system")
            }
        case "CodeableConcept":
            let displays = object["coding"]?.elements.contains { $0["display"]?.stringValue?.isEmpty == false } ?? false
            if !displays && !has("text") { problems.append("\(path): CodeableConcept without coding.display or text") }
        case "Reference":
            if !has("display") { problems.append("\(path): Reference without display") }
        case "Identifier":
            if !has("system") && object["type"] == nil { problems.append("\(path): Identifier without system or type") }
            if !has("value") { problems.append("\(path): Identifier without value") }
        default:
            break
        }
    }
}

/// The resource written as FHIR JSON, read back, written as FHIR XML and read back again, or the
/// error of the step that failed. Compare with ``canonicalOrder(_:)``: XML puts elements in schema order.
func roundTripThroughXML(_ resource: FHIRResource) -> Result<FHIRResource, any Error> {
    Result {
        let fromJSON = try FHIRJSON.parseResource(FHIRJSON.serialize(resource))
        return try FHIRXML.parseResource(FHIRXML.serialize(fromJSON))
    }
}

/// The value with every object's members sorted by key, so trees that differ only in order compare equal.
func canonicalOrder(_ value: FHIRValue) -> FHIRValue {
    switch value {
    case .object(let object):
        .object(FHIRObject(object.members.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: canonicalOrder($0.value)) }))
    case .array(let array): .array(array.map(canonicalOrder))
    default: value
    }
}
