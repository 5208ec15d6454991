import FHIR
import Testing

@Suite("The STU3 schema knows the types the codecs need")
struct FHIRSchemaTests {
    let schema = FHIRSchema.stu3

    @Test("concrete resource types are known; abstract bases, data types and nonsense are not", arguments: [
        ("Patient", true), ("Observation", true), ("Bundle", true), ("Binary", true), ("Parameters", true),
        ("OperationOutcome", true), ("ProcedureRequest", true), ("Foo", false), ("patient", false),
        ("DomainResource", false), ("Resource", false), ("HumanName", false), ("PatientContact", false), ("", false),
    ])
    func resourceTypes(name: String, isResource: Bool) {
        #expect(schema.isResourceType(name) == isResource)
    }

    @Test("the resource type list is sorted and complete for STU3")
    func resourceTypeList() {
        #expect(schema.resourceTypes == schema.resourceTypes.sorted())
        #expect(schema.resourceTypes.count == 117)
        #expect(schema.release == "STU3")
    }

    @Test("elements carry cardinality, type and JSON kind", arguments: [
        ("Patient", "name", "HumanName", true, FHIRSchema.ElementDefinition.Kind.complex),
        ("Patient", "active", "boolean", false, .primitive(.boolean)),
        ("Patient", "birthDate", "date", false, .primitive(.string)),
        ("Patient", "multipleBirthInteger", "integer", false, .primitive(.number)),
        ("HumanName", "given", "string", true, .primitive(.string)),
        ("Quantity", "value", "decimal", false, .primitive(.number)),
        ("Observation", "valueQuantity", "Quantity", false, .complex),
        ("Narrative", "div", "xhtml", false, .xhtml),
        ("Patient", "contained", "Resource", true, .resource),
        ("BundleEntry", "resource", "Resource", false, .resource),
        ("ParametersParameter", "resource", "Resource", false, .resource),
        ("Attachment", "size", "unsignedInt", false, .primitive(.number)),
        ("Bundle", "total", "unsignedInt", false, .primitive(.number)),
    ])
    func elementDefinitions(
        type: String, element: String, typeCode: String, isArray: Bool, kind: FHIRSchema.ElementDefinition.Kind
    ) throws {
        let definition = try #require(schema.element(element, of: type))
        #expect(definition.typeCode == typeCode)
        #expect(definition.isArray == isArray)
        #expect(definition.kind == kind)
    }

    @Test("choice elements are expanded and name their choice group")
    func choiceElements() throws {
        #expect(try #require(schema.element("deceasedDateTime", of: "Patient")).choiceGroup == "deceased")
        #expect(try #require(schema.element("valueCodeableConcept", of: "Observation")).choiceGroup == "value")
        #expect(try #require(schema.element("status", of: "Observation")).choiceGroup == nil)
        #expect(schema.element("value[x]", of: "Observation") == nil)
        #expect(schema.element("deceased", of: "Patient") == nil)
    }

    @Test("elements come in definition order")
    func definitionOrder() throws {
        let names = try #require(schema.type(named: "HumanName")).elements.map(\.name)
        #expect(names == ["id", "extension", "use", "text", "family", "given", "prefix", "suffix", "period"])
        let patient = try #require(schema.type(named: "Patient"))
        #expect(try #require(patient.position(of: "id")) < #require(patient.position(of: "meta")))
        #expect(try #require(patient.position(of: "identifier")) < #require(patient.position(of: "link")))
    }

    @Test("every complex element type is itself defined, so the XML codec never loses its way")
    func typeReferencesResolve() {
        var unresolved: [String] = []
        for name in schema.resourceTypes + ["HumanName", "Extension", "Element", "BackboneElement"] {
            guard let type = schema.type(named: name) else {
                unresolved.append(name)
                continue
            }
            for element in type.elements where element.kind == .complex && schema.type(named: element.typeCode) == nil {
                unresolved.append("\(name).\(element.name): \(element.typeCode)")
            }
        }
        #expect(unresolved.isEmpty, "\(unresolved)")
    }
}
