import FHIR

extension MedicatieGebruik: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-MedicationUse"
    public static let productProfile = "http://nictiz.nl/fhir/StructureDefinition/zib-Product"
    /// The MedicationStatement category the BgZ query filters on (`…77.5.3|6`, "Medicatiegebruik").
    public static let categorySystem = "urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3"

    /// A zib-MedicationUse MedicationStatement and the zib-Product Medication it refers to (id role
    /// `medication`), coded when the PZC has a product code, otherwise named only by `code.text`.
    ///
    /// ```swift
    /// try use.renderSTU3(in: context).map(\.resourceType)  // ["MedicationStatement", "Medication"]
    /// ```
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let medicationID = context.ids.id(for: source.entryID, role: "medication")
        let productCode: FHIRValue = product.map { ["coding": [STU3.coding($0)], "text": .string(productName)] } ?? ["text": .string(productName)]
        let medication = try STU3.resource("Medication", id: medicationID, profile: Self.productProfile, [("code", productCode)])

        var extensions: [FHIRValue] = []
        if let asAgreed {
            extensions.append(STU3.extension("http://nictiz.nl/fhir/StructureDefinition/zib-MedicationUse-AsAgreedIndicator", "valueBoolean", .boolean(asAgreed)))
        }
        if let reference = prescriber.flatMap(context.referenceWithRole(toMember:)) {
            extensions.append(STU3.extension("http://nictiz.nl/fhir/StructureDefinition/zib-MedicationUse-Prescriber", "valueReference", reference))
        }
        var period: FHIRObject = [:]
        if let start { period["start"] = .string(start) }
        if let end { period["end"] = .string(end) }
        let statement = try STU3.resource(
            "MedicationStatement", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("extension", extensions.isEmpty ? nil : .array(extensions)),
                // An end date means the use is over; the PZC keeps no other status.
                ("status", end == nil ? "active" : "completed"),
                ("category", STU3.concept(Self.categorySystem, "6", "Medicatiegebruik")),
                ("medicationReference", ["reference": .string("Medication/\(medicationID)"), "display": .string(productName)]),
                ("effectivePeriod", period.isEmpty ? nil : .object(period)),
                ("dateAsserted", (source.createdAt ?? start).map(FHIRValue.string)),
                ("informationSource", informant.flatMap(context.referenceWithRole(toMember:))),
                ("subject", context.patientReference),
                ("taken", "y"),
                ("reasonCode", reason.map { [["text": .string($0)]] }),
                ("dosage", dosage.nonBlank.map { [["sequence": 1, "text": .string($0)]] }),
            ])
        return [statement, medication]
    }
}

extension Vaccinatie: STU3Rendering {
    public static let stu3Profile = "http://nictiz.nl/fhir/StructureDefinition/zib-Vaccination"

    /// A zib-Vaccination Immunization, `completed` or, for a withdrawn record, `entered-in-error` (the
    /// two codes STU3's immunization-status has). `notGiven` stays false: the record says the vaccine
    /// was given, and a withdrawn one is void as a whole rather than a vaccination not given. It counts
    /// as primary source only when the one who gave the vaccination also recorded it.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let performer: FHIRValue? = administeredBy.flatMap(context.referenceWithRole(toMember:)).map { actor in
            [[
                "role": ["coding": [STU3.coding("http://hl7.org/fhir/v2/0443", "AP", "Administering Provider")], "text": "Vaccinerend zorgverlener"],
                "actor": actor,
            ]]
        }
        let immunization = try STU3.resource(
            "Immunization", id: context.ids.id(for: source.entryID), profile: Self.stu3Profile,
            [
                ("status", .string(status.rawValue)),
                ("notGiven", false),
                ("vaccineCode", STU3.concept(vaccine)),
                ("patient", context.patientReference),
                ("date", .string(date)),
                ("primarySource", .boolean(administeredBy != nil && administeredBy == source.author)),
                ("practitioner", performer),
                ("note", dose.map { [["text": .string("Dosis: \($0)")]] }),
            ])
        return [immunization]
    }
}
