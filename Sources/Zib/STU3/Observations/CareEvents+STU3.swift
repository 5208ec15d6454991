import FHIR

// Medical devices, encounters, procedures and nutrition advice as zib2017 resources.

extension MedischHulpmiddel: STU3Rendering {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/zib-MedicalDevice"
    static let productProfile = "http://nictiz.nl/fhir/StructureDefinition/zib-MedicalDeviceProduct"

    /// The DeviceUseStatement and the Device (the product) it points to.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let deviceID = context.ids.id(for: source.entryID, role: "device")
        let statement = try STU3.resource(
            "DeviceUseStatement", id: context.ids.id(for: source.entryID), profile: Self.profile,
            [
                // An end date means the patient no longer uses it.
                ("status", .string(end == nil ? "active" : "completed")),
                ("subject", context.patientReference),
                ("whenUsed", STU3Pieces.period(start: start, end: end)),
                ("recordedOn", source.createdAt.map(FHIRValue.string)),
                ("source", try STU3Pieces.person(source.author, in: context)),
                ("device", ["reference": .string("Device/\(deviceID)"), "display": .string(productType.display)]),
                ("bodySite", bodySite.map(STU3.concept)),
                ("note", comment.map { [["text": .string($0)]] }),
            ])
        let device = try STU3.resource(
            "Device", id: deviceID, profile: Self.productProfile,
            [
                ("type", STU3.concept(productType)),
                ("patient", context.patientReference),
            ])
        return [statement, device]
    }
}

extension Contact: STU3Rendering {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/zib-Encounter"
    static let actCode = "http://hl7.org/fhir/v3/ActCode"

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let serviceProvider: FHIRValue? =
            switch organization {
            case .known(let organization): context.reference(toOrganization: organization)
            // Only a name is known: a display-only reference is valid FHIR and loses nothing.
            case .named(let name): ["display": .string(name)]
            case nil: nil
            }
        return [
            try STU3.resource(
                "Encounter", id: context.ids.id(for: source.entryID), profile: Self.profile,
                [
                    ("status", .string(end == nil ? "in-progress" : "finished")),
                    ("class", STU3.coding(Self.actCode, contactType.rawValue, contactType.display)),
                    ("subject", context.patientReference),
                    ("period", STU3Pieces.period(start: start, end: end)),
                    ("reason", reason.map { [STU3Pieces.text($0)] }),
                    ("serviceProvider", serviceProvider),
                ])
        ]
    }
}

extension Verrichting: STU3Rendering {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/zib-Procedure"

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let performers = try performer.map { id in [["actor": try STU3Pieces.person(id, in: context)]] as FHIRValue }
        let reasons = reason.map { problem in
            [["reference": .string("Condition/\(context.ids.id(for: problem.entryID))"), "display": .string(problem.display)]] as FHIRValue
        }
        return [
            try STU3.resource(
                "Procedure", id: context.ids.id(for: source.entryID), profile: Self.profile,
                [
                    ("status", "completed"),
                    ("category", STU3.concept(category)),
                    ("code", STU3.concept(procedure)),
                    ("subject", context.patientReference),
                    ("performedPeriod", STU3Pieces.period(start: start, end: end)),
                    ("performer", performers),
                    ("reasonReference", reasons),
                    ("bodySite", bodySite.map { [STU3.concept($0)] }),
                ])
        ]
    }
}

extension Voedingsadvies: STU3Rendering {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/zib-NutritionAdvice"

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        var oralDiet = FHIRObject()
        oralDiet["type"] = diet.map { [STU3.concept($0)] }
        // NutritionOrder has no period of its own; the diet's schedule bounds say when the advice holds.
        oralDiet["schedule"] = STU3Pieces.period(start: start, end: end).map { [["repeat": ["boundsPeriod": $0]]] }
        oralDiet["instruction"] = .string(description)
        // STU3 allows only a Practitioner as orderer; advice noted by others keeps its author in provenance.
        let orderer = context.member(source.author)?.kind == "professional" ? context.reference(toMember: source.author) : nil
        return [
            try STU3.resource(
                "NutritionOrder", id: context.ids.id(for: source.entryID), profile: Self.profile,
                [
                    ("status", "active"),
                    ("patient", context.patientReference),
                    ("dateTime", .string(source.createdAt ?? start ?? "")),
                    ("orderer", orderer),
                    ("oralDiet", .object(oralDiet)),
                ])
        ]
    }
}
