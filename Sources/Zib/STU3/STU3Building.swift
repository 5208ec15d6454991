import FHIR

/// Small builders shared by the STU3 renderers, so every resource gets the same shape of `meta`,
/// codings, references and zib code-specification extensions.
public enum STU3 {
    public static let codeSpecificationURL = "http://nictiz.nl/fhir/StructureDefinition/code-specification"
    public static let snomed = ZibCodeSystem.snomed
    public static let loinc = ZibCodeSystem.loinc
    public static let ucum = "http://unitsofmeasure.org"

    /// A resource with `resourceType`, `id` and `meta.profile` first, then `members` in order.
    public static func resource(_ type: String, id: String, profile: String, _ members: [(String, FHIRValue?)]) throws -> FHIRResource {
        var object: FHIRObject = ["resourceType": .string(type), "id": .string(id), "meta": ["profile": [.string(profile)]]]
        for (key, value) in members {
            if let value { object[key] = value }
        }
        return try FHIRResource(object)
    }

    public static func coding(_ system: String, _ code: String, _ display: String) -> FHIRValue {
        ["system": .string(system), "code": .string(code), "display": .string(display)]
    }

    /// A Coding of a zib code; zib-level systems (the OIDs of HL7 tables) become their STU3 URIs.
    public static func coding(_ code: Code) -> FHIRValue {
        coding(HL7Terminology.stu3System(for: code.system), code.code, code.display)
    }

    /// A CodeableConcept with one coding; its text repeats the display so readers without the code system see it.
    public static func concept(_ code: Code) -> FHIRValue {
        ["coding": [coding(code)], "text": .string(code.display)]
    }

    public static func concept(_ system: String, _ code: String, _ display: String) -> FHIRValue {
        concept(Code(system: system, code: code, display: display))
    }

    /// A CodeableConcept carrying a FHIR-required code plus, in the code-specification extension, the
    /// zib's own code for the same concept (as zib2017 profiles require on FHIR-required elements).
    public static func concept(fhir: Code, zib: Code) -> FHIRValue {
        [
            "coding": [
                [
                    "extension": [["url": .string(codeSpecificationURL), "valueCodeableConcept": ["coding": [coding(zib)]]]],
                    "system": .string(HL7Terminology.stu3System(for: fhir.system)), "code": .string(fhir.code), "display": .string(fhir.display),
                ]
            ],
            "text": .string(zib.display),
        ]
    }

    /// A decimal as written in the export (precision kept); nil when the text is not a number.
    public static func decimal(_ text: String) -> FHIRValue? {
        FHIRNumber(text: text).map(FHIRValue.number)
    }

    /// A UCUM Quantity from decimal text.
    public static func quantity(_ value: String, unit: String) -> FHIRValue? {
        guard let number = decimal(value) else { return nil }
        return ["value": number, "unit": .string(unit), "system": .string(ucum), "code": .string(unit)]
    }
}
