import FHIR

/// Why a value of the observation or document area cannot be rendered. The renderer reports it as
/// an unmapped entry, so nothing is dropped silently.
public enum STU3PieceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The author (or performer) id names neither the patient nor a member.
    case unknownPerson(String)
    /// A number that the mapper should have checked is not a FHIR decimal.
    case notADecimal(String)

    public var description: String {
        switch self {
        case .unknownPerson(let id): "'\(id)' is neither the patient nor a member of the PZC"
        case .notADecimal(let text): "'\(text)' is not a FHIR decimal"
        }
    }
}

/// Element builders the observation and document renderers share, on top of ``STU3``.
///
/// ```swift
/// STU3Pieces.period(start: "2026-01-01", end: nil)   // ["start": "2026-01-01"]
/// try STU3Pieces.person("patient", in: context)      // the Patient reference with display
/// ```
enum STU3Pieces {
    static let observationCategory = "http://hl7.org/fhir/observation-category"

    /// The vital-signs category every zib vital sign carries.
    static let vitalSigns: FHIRValue = [
        "coding": [STU3.coding(observationCategory, "vital-signs", "Vital Signs")], "text": "Vitale functies",
    ]

    /// The zib laboratory category (LaboratoryTestResultCode slice).
    static let laboratory: FHIRValue = STU3.concept(STU3.snomed, "49581000146104", "Laboratory test finding")

    /// A reference to the patient or a member with display; refused for unknown ids.
    static func person(_ id: String, in context: STU3RenderContext) throws(STU3PieceError) -> FHIRValue {
        guard let reference = context.reference(toMember: id) else { throw .unknownPerson(id) }
        return reference
    }

    /// A CodeableConcept with text only, for what has no code (FHIR allows it; the display rule asks
    /// for a display or a text).
    static func text(_ text: String) -> FHIRValue {
        ["text": .string(text)]
    }

    static func period(start: String?, end: String?) -> FHIRValue? {
        var object = FHIRObject()
        object["start"] = start.map(FHIRValue.string)
        object["end"] = end.map(FHIRValue.string)
        return object.isEmpty ? nil : .object(object)
    }

    /// A UCUM Quantity; the mapper has checked the number, so a failure here is a programming error
    /// reported as an unmapped entry rather than a crash.
    static func quantity(_ quantity: MeasuredQuantity) throws(STU3PieceError) -> FHIRValue {
        guard let value = STU3.quantity(quantity.value, unit: quantity.unit) else { throw .notADecimal(quantity.value) }
        return value
    }

    static func decimal(_ text: String) throws(STU3PieceError) -> FHIRValue {
        guard let value = STU3.decimal(text) else { throw .notADecimal(text) }
        return value
    }

    /// An Observation component with a coded name and a value element such as `valueQuantity`.
    static func component(_ code: Code, text: String, _ valueKey: String, _ value: FHIRValue) -> FHIRValue {
        var object: FHIRObject = ["code": ["coding": [STU3.coding(code)], "text": .string(text)]]
        object[valueKey] = value
        return .object(object)
    }

    /// `effectivePeriod` when the finding covers a period, otherwise `effectiveDateTime`.
    static func effective(date: String, start: String?, end: String?) -> [(String, FHIRValue?)] {
        if let period = period(start: start, end: end) { return [("effectivePeriod", period)] }
        return [("effectiveDateTime", .string(date))]
    }
}
