import FHIR

/// The MedMij BgZ qualification asserts, as a plain check over one STU3 resource, plus a structural
/// check against the STU3 type definitions. Returns one human-readable line per problem, empty when clean.
///
/// It runs at import: ``STU3Renderer`` lints every resource it makes and reports what fails as a
/// problem of the entry it came from, so an export that writes, say, an empty `display` is named in the
/// import report instead of reaching a PGO app unqualified. The profile validator does not see these
/// rules: the zib profiles do not make `display` or `Reference.display` mandatory, the qualification does.
///
/// Checked: `meta.profile` is present (except on Binary and OperationOutcome, as the asserts allow);
/// every element name exists in STU3 with the right cardinality (array or single); every Coding has
/// system, code and display and no zib value-set OID as system; every CodeableConcept has a coding
/// display or a text; every Reference a display; every Identifier a system (or type) and a value, or a
/// value masked with data-absent-reason (a BSN towards a PGO app).
///
/// ```swift
/// QualificationLint.problems(in: resource)   // [] when clean,
///                                             // ["Condition.subject: Reference without display"] otherwise
/// ```
public enum QualificationLint {
    /// Types the asserts exempt from `meta.profile`: no profile exists for them.
    static let unprofiledTypes: Set<String> = ["Binary", "OperationOutcome"]

    public static func problems(in resource: FHIRResource) -> [String] {
        var problems: [String] = []
        if resource.profiles.isEmpty, !unprofiledTypes.contains(resource.resourceType) {
            problems.append("\(resource.resourceType): no meta.profile")
        }
        var checker = Walker()
        checker.walkResource(resource.content, path: resource.resourceType)
        return problems + checker.problems
    }

    private struct Walker {
        var problems: [String] = []
        let schema = FHIRSchema.stu3

        mutating func walkResource(_ object: FHIRObject, path: String) {
            walk(object, typeName: object["resourceType"]?.stringValue ?? "", path: path)
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
                    walkPrimitiveExtras(member, of: type, typeName: typeName, path: childPath)
                    continue
                }
                guard let element = type.element(named: member.key) else {
                    problems.append("\(childPath): unknown element of \(typeName)")
                    continue
                }
                if (member.value.arrayValue != nil) != element.isArray {
                    problems.append("\(childPath): \(element.isArray ? "must be an array" : "must not be an array")")
                }
                for item in member.value.elements {
                    walkItem(item, of: element, path: childPath)
                }
            }
        }

        /// `_name`: the id and extensions of the primitive `name`.
        private mutating func walkPrimitiveExtras(
            _ member: FHIRObject.Member, of type: FHIRSchema.TypeDefinition, typeName: String, path: String
        ) {
            let name = String(member.key.dropFirst())
            guard type.element(named: name)?.isPrimitive == true else {
                problems.append("\(path): no primitive \(name) in \(typeName)")
                return
            }
            for item in member.value.elements {
                if let extras = item.objectValue { walk(extras, typeName: "Element", path: path) }
            }
        }

        private mutating func walkItem(_ item: FHIRValue, of element: FHIRSchema.ElementDefinition, path: String) {
            switch element.kind {
            case .complex:
                guard let child = item.objectValue else {
                    problems.append("\(path): \(element.typeCode) must be an object")
                    return
                }
                walk(child, typeName: element.typeCode, path: path)
            case .resource:
                if let child = item.objectValue { walkResource(child, path: path) }
            case .primitive, .xhtml:
                if item.objectValue != nil || item.arrayValue != nil { problems.append("\(path): must be a primitive") }
            }
        }

        /// Whether a primitive's extras say its value is withheld on purpose (data-absent-reason
        /// `masked`): how the gateway hands a BSN to PGO apps, as the qualification fixtures do.
        private func isMasked(_ extras: FHIRValue?) -> Bool {
            extras?["extension"]?.elements.contains {
                $0["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
                    && $0["valueCode"]?.stringValue == "masked"
            } ?? false
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
                if !has("value") && !isMasked(object["_value"]) { problems.append("\(path): Identifier without value") }
            default:
                break
            }
        }
    }
}
