import FHIR

// Self-measurements as zib2017 vital-sign Observations. The patient (or the member who measured) is
// the performer: MedMij apps tell home measurements from clinic ones by exactly that.

/// How one single-quantity measurement appears in STU3: profile, category and code.
struct VitalSignDefinition: Sendable {
    var profile: String
    var category: FHIRValue
    var codings: [Code]
    /// Dutch name, the code's text.
    var text: String
}

extension SingleQuantityMeasurement {
    /// The Observation shared by all single-quantity self-measurements.
    func renderMeasurement(_ definition: VitalSignDefinition, in context: STU3RenderContext) throws -> [FHIRResource] {
        [
            try STU3.resource(
                "Observation", id: context.ids.id(for: source.entryID), profile: definition.profile,
                [
                    ("status", "final"),
                    ("category", [definition.category]),
                    ("code", ["coding": .array(definition.codings.map(STU3.coding)), "text": .string(definition.text)]),
                    ("subject", context.patientReference),
                    ("effectiveDateTime", .string(measuredAt)),
                    ("performer", [try STU3Pieces.person(source.author, in: context)]),
                    ("valueQuantity", try STU3Pieces.quantity(quantity)),
                    ("comment", comment.map(FHIRValue.string)),
                ])
        ]
    }
}

extension Bloeddruk: STU3Rendering {
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        var components = [
            STU3Pieces.component(
                Code(system: STU3.loinc, code: "8480-6", display: "Systolic blood pressure"), text: "Systolische bloeddruk",
                "valueQuantity", try STU3Pieces.quantity(MeasuredQuantity(value: systolic, unit: "mm[Hg]"))),
            STU3Pieces.component(
                Code(system: STU3.loinc, code: "8462-4", display: "Diastolic blood pressure"), text: "Diastolische bloeddruk",
                "valueQuantity", try STU3Pieces.quantity(MeasuredQuantity(value: diastolic, unit: "mm[Hg]"))),
        ]
        if let position {
            components.append(
                STU3Pieces.component(
                    Code(system: STU3.loinc, code: "8361-8", display: "Body position with respect to gravity"), text: "Houding",
                    "valueCodeableConcept", ["coding": [STU3.coding(position.code)], "text": .string(position.dutchText)]))
        }
        return [
            try STU3.resource(
                "Observation", id: context.ids.id(for: source.entryID), profile: Self.profile,
                [
                    ("status", "final"),
                    ("category", [STU3Pieces.vitalSigns]),
                    ("code", ["coding": [STU3.coding(STU3.loinc, "85354-9", "Blood pressure panel with all children optional")], "text": "Bloeddruk"]),
                    ("subject", context.patientReference),
                    ("effectiveDateTime", .string(measuredAt)),
                    ("performer", [try STU3Pieces.person(source.author, in: context)]),
                    ("comment", comment.map(FHIRValue.string)),
                    ("component", .array(components)),
                ])
        ]
    }
}

extension Lichaamsgewicht: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        try renderMeasurement(
            VitalSignDefinition(
                profile: "http://nictiz.nl/fhir/StructureDefinition/zib-BodyWeight", category: STU3Pieces.vitalSigns,
                codings: [Code(system: STU3.loinc, code: "29463-7", display: "Body weight")], text: "Lichaamsgewicht"),
            in: context)
    }
}

extension Lichaamslengte: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        // 8302-2 is what the BgZ query asks for first; the position-specific code is added next to it.
        var codings = [Code(system: STU3.loinc, code: "8302-2", display: "Body height")]
        switch position {
        case .standing: codings.append(Code(system: STU3.loinc, code: "8308-9", display: "Body height --standing"))
        case .lying: codings.append(Code(system: STU3.loinc, code: "8306-3", display: "Body height --lying"))
        case .sitting, nil: break
        }
        return try renderMeasurement(
            VitalSignDefinition(
                profile: "http://nictiz.nl/fhir/StructureDefinition/zib-BodyHeight", category: STU3Pieces.vitalSigns,
                codings: codings, text: "Lichaamslengte"),
            in: context)
    }
}

extension Hartfrequentie: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        try renderMeasurement(
            VitalSignDefinition(
                profile: "http://nictiz.nl/fhir/StructureDefinition/zib-HeartRate", category: STU3Pieces.vitalSigns,
                codings: [Code(system: STU3.loinc, code: "8867-4", display: "Heart rate")], text: "Hartfrequentie"),
            in: context)
    }
}

extension Lichaamstemperatuur: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        try renderMeasurement(
            VitalSignDefinition(
                profile: "http://nictiz.nl/fhir/StructureDefinition/zib-BodyTemperature", category: STU3Pieces.vitalSigns,
                codings: [Code(system: STU3.loinc, code: "8310-5", display: "Body temperature")], text: "Lichaamstemperatuur"),
            in: context)
    }
}

extension Bloedglucose: STU3Rendering {
    /// zib2017 has no glucose zib; Nictiz's `vitalsign-bloodglucose` (used by MedMij Zelfmetingen) is
    /// based on the laboratory result profile, hence the laboratory category.
    static let profile = "http://nictiz.nl/fhir/StructureDefinition/vitalsign-bloodglucose"

    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        let code =
            quantity.unit == "mg/dL"
            ? Code(system: STU3.loinc, code: "41653-7", display: "Glucose [Mass/volume] in Capillary blood by Glucometer")
            : Code(system: STU3.loinc, code: "14743-9", display: "Glucose [Moles/volume] in Capillary blood by Glucometer")
        return try renderMeasurement(
            VitalSignDefinition(profile: Self.profile, category: STU3Pieces.laboratory, codings: [code], text: "Bloedglucose"),
            in: context)
    }
}

extension O2Saturatie: STU3Rendering {
    public func renderSTU3(in context: STU3RenderContext) throws -> [FHIRResource] {
        try renderMeasurement(
            VitalSignDefinition(
                profile: "http://nictiz.nl/fhir/StructureDefinition/zib-OxygenSaturation", category: STU3Pieces.vitalSigns,
                codings: [Code(system: STU3.loinc, code: "59408-5", display: "Oxygen saturation in Arterial blood by Pulse oximetry")],
                text: "O2-saturatie"),
            in: context)
    }
}
