import FHIR

/// One resource of a patient's record as a line a person reads: what it is about and when.
///
/// ```swift
/// RecordLine(condition).what    // "Ziekte van Parkinson"
/// RecordLine(condition).when    // "2019-03-14"
/// ```
struct RecordLine: Sendable, Hashable {
    let what: String
    let when: String?

    /// Where the subject of a resource is named, most telling first.
    private static let conceptElements = ["code", "vaccineCode", "medicationCodeableConcept", "type", "class", "category"]
    /// Where the date the resource is about is kept, most telling first.
    private static let dateElements = [
        "effectiveDateTime", "onsetDateTime", "occurrenceDateTime", "performedDateTime", "assertedDate", "date", "authored",
        "dateTime", "created", "indexed", "issued",
    ]
    private static let periodElements = ["effectivePeriod", "performedPeriod", "period"]

    init(_ resource: FHIRResource) {
        let value = FHIRValue.object(resource.content)
        what = Self.what(value) ?? resource.resourceType
        when = Self.when(value)
    }

    private static func what(_ value: FHIRValue) -> String? {
        if let medication = value["medicationReference"]?["display"]?.stringValue { return medication }
        for element in conceptElements {
            for concept in value[element]?.elements ?? [] {
                if let text = concept["text"]?.stringValue, !text.isEmpty { return text }
                if let display = concept["coding"]?.elements.compactMap({ $0["display"]?.stringValue }).first { return display }
                if let display = concept["display"]?.stringValue { return display }
            }
        }
        return value["description"]?.stringValue ?? value["title"]?.stringValue
    }

    private static func when(_ value: FHIRValue) -> String? {
        for element in dateElements {
            if let date = value[element]?.stringValue { return String(date.prefix(10)) }
        }
        for element in periodElements {
            if let start = value[element]?["start"]?.stringValue { return String(start.prefix(10)) }
        }
        return nil
    }
}
