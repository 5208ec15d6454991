import FHIR

/// Checks that a JSON tree has the shape FHIR JSON prescribes for the elements the schema knows:
/// arrays exactly where the element repeats, numbers and booleans bare, nested resources with a
/// resourceType. Returns one line per problem, naming its path.
enum FHIRShape {
    static func problems(in resource: FHIRObject, schema: FHIRSchema = .stu3) -> [String] {
        guard let type = resource["resourceType"]?.stringValue else { return ["resource without resourceType"] }
        var problems: [String] = []
        check(resource, type: type, path: type, schema: schema, into: &problems)
        return problems
    }

    private static func check(_ object: FHIRObject, type: String, path: String, schema: FHIRSchema, into problems: inout [String]) {
        for member in object.members where member.key != "resourceType" {
            let isExtras = member.key.hasPrefix("_")
            let name = isExtras ? String(member.key.dropFirst()) : member.key
            let memberPath = path + "." + member.key
            guard let definition = schema.element(name, of: type) ?? schema.element(name, of: "BackboneElement") else {
                continue  // unknown elements are kept as they came
            }
            if definition.isArray != (member.value.arrayValue != nil) {
                problems.append("\(memberPath) should \(definition.isArray ? "" : "not ")be an array")
                continue
            }
            for item in member.value.elements {
                if item.isNull, definition.isArray, definition.isPrimitive { continue }
                if isExtras {
                    if item.objectValue == nil { problems.append("\(memberPath) should hold objects") }
                    continue
                }
                checkItem(item, definition: definition, path: memberPath, schema: schema, into: &problems)
            }
        }
    }

    private static func checkItem(
        _ item: FHIRValue, definition: FHIRSchema.ElementDefinition, path: String, schema: FHIRSchema,
        into problems: inout [String]
    ) {
        switch (definition.kind, item) {
        case (.primitive(.boolean), .boolean), (.primitive(.number), .number), (.primitive(.string), .string),
             (.xhtml, .string):
            return
        case (.resource, .object(let object)):
            if let type = object["resourceType"]?.stringValue, schema.isResourceType(type) {
                check(object, type: type, path: path + "(\(type))", schema: schema, into: &problems)
            } else {
                problems.append("\(path) should hold a resource with a known resourceType")
            }
        case (.complex, .object(let object)):
            check(object, type: definition.typeCode, path: path, schema: schema, into: &problems)
        default:
            problems.append("\(path) has the wrong JSON type for \(definition.typeCode): \(item)")
        }
    }
}
