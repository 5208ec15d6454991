import FHIR

extension Alert: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-Alert"

    /// One zib-Alert Flag; the problem or allergy it is about goes in the flag-detail extension. The
    /// comment is added to `code.text`, the only free text a STU3 Flag has.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let detail: FHIRValue? = concern.map { concern in
            [STU3.extension(
                "http://hl7.org/fhir/StructureDefinition/flag-detail", "valueReference",
                ["reference": .string("\(Self.stu3Type(of: concern.kind))/\(context.ids.id(for: concern.entryID))"), "display": .string(concern.display)])]
        }
        // Flag.author may be a Patient or Practitioner, not a RelatedPerson.
        let author = author.flatMap(context.referenceWithRole(toMember:)).flatMap { reference in
            reference["reference"]?.stringValue?.hasPrefix("RelatedPerson/") == true ? nil : reference
        }
        let flag = try STU3.resource(
            "Flag", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("extension", detail),
                ("status", active ? "active" : "inactive"),
                ("category", ["coding": [STU3.coding(STU3.loinc, "74018-3", "Alert")], "text": "Waarschuwing"]),
                ("code", ["coding": [STU3.coding(alert)], "text": .string(comment.map { "\(alert.display): \($0)" } ?? alert.display)]),
                ("subject", context.patientReference),
                ("period", source.createdAt.map { ["start": .string($0)] }),
                ("author", author),
            ])
        return [flag]
    }

    /// The STU3 resource a concern's zib becomes: zib-Problem is a Condition, zib-AllergyIntolerance an AllergyIntolerance.
    static func stu3Type(of kind: Concern.Kind) -> String {
        switch kind {
        case .problem: "Condition"
        case .allergy: "AllergyIntolerance"
        }
    }
}
