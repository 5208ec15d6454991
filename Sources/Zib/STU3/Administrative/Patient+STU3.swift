import FHIR

extension Patient: STU3Rendering {
    public static let stu3Profile = "http://fhir.nl/fhir/StructureDefinition/nl-core-patient"

    /// One nl-core-patient with the real BSN (masked later, when served to PGO apps), the contact
    /// persons in `contact` and the GP as `generalPractitioner`.
    ///
    /// ```swift
    /// let patient = try value.renderSTU3(in: context)[0]
    /// patient["identifier"]?.elements.first?["system"]   // "http://fhir.nl/fhir/NamingSystem/bsn"
    /// ```
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let fhirGender: FHIRValue = switch gender {
        case .male: "male"
        case .female: "female"
        case .other: "other"
        case .unknown: "unknown"
        }
        let patient = try STU3.resource(
            "Patient", id: context.ids.patientID, profile: Self.stu3Profile,
            [
                ("identifier", bsn.flatMap { STU3.identifier(STU3.bsnSystem, $0) }.map { [$0] }),
                ("name", [STU3.humanName(name)]),
                ("telecom", telecom.isEmpty ? nil : .array(telecom.map(STU3.contactPoint))),
                ("gender", fhirGender),
                ("_gender", STU3.codeSpecification(gender.zibCode)),
                ("birthDate", .string(birthDate)),
                ("address", address.map { [STU3.address($0, use: "home")] }),
                ("maritalStatus", maritalStatus.map { STU3.concept($0.zibCode) }),
                ("contact", contacts.isEmpty ? nil : .array(contacts.map(\.stu3PatientContact))),
                ("generalPractitioner", generalPractitioner.flatMap(context.referenceWithRole(toMember:)).map { [$0] }),
            ])
        return [patient]
    }
}
