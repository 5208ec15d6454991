import FHIR

extension LaboratoriumUitslag: STU3Rendering {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/zib-LaboratoryTestResult-Observation"
    static let specimenProfile = "http://nictiz.nl/fhir/StructureDefinition/zib-LaboratoryTestResult-Specimen"

    /// The result Observation and, when the material is known, its Specimen. The status carries the
    /// zib's ResultaatStatus in the code-specification extension, as zib-LaboratoryTestResult asks. A
    /// panel names its members in `related` with type `has-member` (the profile's use case 2), which
    /// the BgZ lab query fetches with `_include=Observation:related-target`.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let specimenID = context.ids.id(for: source.entryID, role: "specimen")
        var categories = [STU3Pieces.laboratory]
        if let resultType { categories.append(STU3.concept(resultType)) }
        var value: (String, FHIRValue?) = ("valueString", nil)
        switch result {
        case .quantity(let quantity)?: value = ("valueQuantity", try STU3Pieces.quantity(quantity))
        case .text(let text)?: value = ("valueString", .string(text))
        case nil: break
        }
        let related: [FHIRValue] = members.map { member in
            [
                "type": "has-member",
                "target": ["reference": .string("Observation/\(context.ids.id(for: member.entryID))"), "display": .string(member.display)],
            ]
        }
        let observation = try STU3.resource(
            "Observation", id: context.ids.id(for: source.entryID), profile: Self.profile,
            [
                ("status", .string(Self.observationStatus(status))),
                ("_status", STU3.codeSpecification(status.zibCode)),
                ("category", .array(categories)),
                ("code", STU3.concept(test)),
                ("subject", context.patientReference),
                ("effectiveDateTime", .string(effective)),
                value,
                ("interpretation", interpretation.map(Self.interpretation)),
                ("specimen", specimen.map { ["reference": .string("Specimen/\(specimenID)"), "display": .string($0.display)] }),
                ("referenceRange", referenceRange.map { [["text": .string($0)]] }),
                ("related", related.isEmpty ? nil : .array(related)),
            ])
        guard let specimen else { return [observation] }
        let resource = try STU3.resource(
            "Specimen", id: specimenID, profile: Self.specimenProfile,
            [
                ("type", STU3.concept(specimen)),
                ("subject", context.patientReference),
            ])
        return [observation, resource]
    }

    /// STU3 observation-status for the zib status, after Nictiz's ConceptMap
    /// ResultStatusCodelist-to-ObservationStatus (pending → registered, appended → amended).
    static func observationStatus(_ status: ResultaatStatus) -> String {
        switch status {
        case .pending: "registered"
        case .preliminary: "preliminary"
        case .final: "final"
        case .appended: "amended"
        case .corrected: "corrected"
        }
    }

    /// The HL7 flag with the zib's own flag for the same meaning, and the Dutch word as text.
    static func interpretation(_ interpretation: Interpretation) -> FHIRValue {
        let codings = [interpretation.hl7, interpretation.zibFlag].compactMap { $0 }.map(STU3.coding)
        return ["coding": .array(codings), "text": .string(interpretation.dutchText)]
    }
}
