import FHIR

extension Contactpersoon: STU3Rendering {
    public static let stu3Profile = "http://fhir.nl/fhir/StructureDefinition/nl-core-relatedperson"

    /// The member as an nl-core-relatedperson, so what they wrote can refer to them.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let roleURL = "http://fhir.nl/fhir/StructureDefinition/nl-core-relatedperson-role"
        let person = try STU3.resource(
            "RelatedPerson", id: context.ids.id(for: memberID), profile: Self.stu3Profile,
            [
                ("extension", roles.isEmpty ? nil : .array(roles.map { STU3.extension(roleURL, "valueCodeableConcept", STU3.concept($0)) })),
                ("patient", context.patientReference),
                // RelatedPerson.relationship holds one concept in STU3; the first is the most specific.
                ("relationship", relationships.first.map(STU3.concept)),
                ("name", [STU3.humanName(name)]),
                ("telecom", telecom.isEmpty ? nil : .array(telecom.map(STU3.contactPoint))),
            ])
        return [person]
    }

    /// The `Patient.contact` backbone: RolCodelijst and RelatieCodelijst concepts side by side in
    /// `relationship`, as the nl-core-patient slices expect.
    var stu3PatientContact: FHIRValue {
        var contact: FHIRObject = [:]
        let concepts = roles.map(STU3.concept) + relationships.map(STU3.concept)
        if !concepts.isEmpty { contact["relationship"] = .array(concepts) }
        contact["name"] = STU3.humanName(name)
        if !telecom.isEmpty { contact["telecom"] = .array(telecom.map(STU3.contactPoint)) }
        return .object(contact)
    }
}
