import FHIR

/// The clinical date of a resource: when the data is *about*, which a provision's `dataPeriod` is
/// judged by. Not `meta.lastUpdated`, which says when the gateway stored it.
///
/// ```swift
/// ResourceDate.of(observation)   // the range of effectiveDateTime, e.g. all of 2019-03-01 for "2019-03-01"
/// ResourceDate.of(patient)       // nil: patient details have no clinical date
/// ```
public enum ResourceDate {
    /// The first element present, per resource type, in order of preference. Periods count as the whole
    /// span; partial dates (`2019`) as everything they could mean.
    static let elements: [String: [String]] = [
        "Observation": ["effectiveDateTime", "effectivePeriod", "issued"],
        "DiagnosticReport": ["effectiveDateTime", "effectivePeriod", "issued"],
        "Condition": ["onsetDateTime", "onsetPeriod", "assertedDate"],
        "MedicationStatement": ["effectiveDateTime", "effectivePeriod", "dateAsserted"],
        "MedicationRequest": ["authoredOn"],
        "MedicationDispense": ["whenHandedOver", "whenPrepared"],
        "MedicationAdministration": ["effectiveDateTime", "effectivePeriod"],
        "Procedure": ["performedDateTime", "performedPeriod"],
        "Encounter": ["period"],
        "EpisodeOfCare": ["period"],
        "Immunization": ["date"],
        "AllergyIntolerance": ["onsetDateTime", "onsetPeriod", "assertedDate"],
        "Flag": ["period"],
        "DeviceUseStatement": ["whenUsed", "recordedOn"],
        "DocumentReference": ["created", "indexed"],
        "Composition": ["date"],
        "Appointment": ["start"],
        "ProcedureRequest": ["occurrenceDateTime", "occurrencePeriod", "authoredOn"],
        "NutritionOrder": ["dateTime"],
        "Consent": ["dateTime"],
        "Coverage": ["period"],
        "Specimen": ["collectedDateTime", "collectedPeriod"],
    ]

    /// The resource's clinical date as a range, or nil when it has none (or an unreadable one).
    public static func of(_ resource: FHIRResource) -> DateRange? {
        for name in elements[resource.resourceType] ?? [] {
            guard let value = resource[name] else { continue }
            if let text = value.stringValue { return DateRange(fhirDate: text) }
            if value.objectValue != nil { return period(value) }
        }
        return nil
    }

    /// A Period: from the start of `start` to the end of `end`, open where missing.
    private static func period(_ value: FHIRValue) -> DateRange? {
        let start = value["start"]?.stringValue.flatMap(DateRange.init(fhirDate:))
        let end = value["end"]?.stringValue.flatMap(DateRange.init(fhirDate:))
        guard start != nil || end != nil else { return nil }
        return DateRange(lowerBound: start?.lowerBound ?? .min, upperBound: end?.upperBound ?? .max)
    }
}
