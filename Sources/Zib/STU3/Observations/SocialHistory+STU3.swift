import FHIR

// The social-history zibs and FunctioneleOfMentaleStatus as zib2017 Observations. Their codes and
// categories are fixed by the profiles and are what the BgZ queries select on.

extension CodedFinding {
    /// The Observation every coded finding shares; `code`, `category`, `value` and `components` vary per zib.
    func observation(
        id: String, profile: String, category: FHIRValue?, code: FHIRValue, value: FHIRValue?, components: [FHIRValue],
        author: String, in context: STU3RenderContext
    ) throws -> FHIRResource {
        try STU3.resource(
            "Observation", id: id, profile: profile,
            [
                ("status", "final"),
                ("category", category.map { [$0] }),
                ("code", code),
                ("subject", context.patientReference),
            ]
                + STU3Pieces.effective(date: date, start: start, end: end)
                + [
                    ("performer", [try STU3Pieces.person(author, in: context)]),
                    ("valueCodeableConcept", value),
                    ("comment", comment.map(FHIRValue.string)),
                    ("component", components.isEmpty ? nil : .array(components)),
                ])
    }
}

extension Woonsituatie: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        [
            try finding.observation(
                id: context.ids.id(for: source.entryID), profile: "http://nictiz.nl/fhir/StructureDefinition/zib-LivingSituation",
                category: nil, code: STU3.concept(STU3.snomed, "365508006", "Residence and accommodation circumstances"),
                value: STU3.concept(finding.value), components: [], author: source.author, in: context)
        ]
    }
}

extension TabakGebruik: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        var components: [FHIRValue] = []
        switch amount {
        case .perPeriod(let quantity):
            components.append(
                STU3Pieces.component(
                    Code(system: STU3.snomed, code: "266918002", display: "Tobacco smoking consumption"), text: "Hoeveelheid",
                    "valueQuantity", try STU3Pieces.quantity(quantity)))
        case .packYears(let years):
            components.append(
                STU3Pieces.component(
                    Code(system: STU3.snomed, code: "401201003", display: "Cigarette pack-years"), text: "Packyears",
                    "valueQuantity", try STU3Pieces.quantity(MeasuredQuantity(value: years, unit: "{PackYears}"))))
        case nil: break
        }
        return [
            try finding.observation(
                id: context.ids.id(for: source.entryID), profile: "http://nictiz.nl/fhir/StructureDefinition/zib-TobaccoUse",
                category: nil, code: STU3.concept(STU3.snomed, "365980008", "Tobacco use and exposure"),
                value: STU3.concept(finding.value), components: components, author: source.author, in: context)
        ]
    }
}

extension AlcoholGebruik: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let components = try amount.map { quantity in
            [
                STU3Pieces.component(
                    Code(system: STU3.snomed, code: "160573003", display: "Alcohol intake"), text: "Hoeveelheid",
                    "valueQuantity", try STU3Pieces.quantity(quantity))
            ]
        }
        return [
            try finding.observation(
                id: context.ids.id(for: source.entryID), profile: "http://nictiz.nl/fhir/StructureDefinition/zib-AlcoholUse",
                category: nil, code: STU3.concept(STU3.snomed, "228273003", "Finding relating to alcohol drinking behavior"),
                value: STU3.concept(finding.value), components: components ?? [], author: source.author, in: context)
        ]
    }
}

extension DrugsGebruik: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let components = amount.map { text in
            [
                STU3Pieces.component(
                    Code(system: STU3.snomed, code: "228390007", display: "Drug intake"), text: "Hoeveelheid",
                    "valueString", .string(text))
            ]
        }
        return [
            try finding.observation(
                id: context.ids.id(for: source.entryID), profile: "http://nictiz.nl/fhir/StructureDefinition/zib-DrugUse",
                category: nil, code: STU3.concept(STU3.snomed, "228366006", "Finding relating to drug misuse behavior"),
                value: STU3.concept(finding.value), components: components ?? [], author: source.author, in: context)
        ]
    }
}

extension FunctioneleOfMentaleStatus: STU3Rendering {
    /// The assessed function as `code` (StatusNaam) and the finding as `valueCodeableConcept`
    /// (StatusWaarde), as zib-FunctionalOrMentalStatus and its official example have them.
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        [
            try finding.observation(
                id: context.ids.id(for: source.entryID), profile: "http://nictiz.nl/fhir/StructureDefinition/zib-FunctionalOrMentalStatus",
                category: STU3.concept(category.code), code: STU3.concept(name), value: STU3.concept(finding.value), components: [],
                author: source.author, in: context)
        ]
    }
}
