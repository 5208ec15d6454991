// Self-measurements (*zelfmetingen*): vital signs the patient or a member measured at home.
//
// Every value keeps the number exactly as written in the export (`"72.50"` stays `72.50`), because
// FHIR decimals carry their precision. Units are UCUM codes.
//
// ```swift
// let weight = Lichaamsgewicht(source: source, measuredAt: "2026-10-01T08:00:00+02:00",
//                              quantity: MeasuredQuantity(value: "72.50", unit: "kg"), comment: nil)
// Lichaamsgewicht.zibName   // "Lichaamsgewicht"
// ```

/// A number as written together with its UCUM unit.
public struct MeasuredQuantity: Sendable, Hashable {
    /// Decimal text as written (JSON number grammar, checked by the mapper).
    public var value: String
    /// UCUM code, e.g. `kg`, `/min`, `Cel`.
    public var unit: String

    public init(value: String, unit: String) {
        self.value = value
        self.unit = unit
    }
}

/// Body position during a measurement (zib HoudingCodelijst, SNOMED CT).
public enum BodyPosition: String, Sendable, Hashable, CaseIterable {
    case sitting, standing, lying

    /// The SNOMED CT code the zib uses for the position.
    public var code: Code {
        switch self {
        case .sitting: Code(system: ZibCodeSystem.snomed, code: "33586001", display: "Sitting position")
        case .standing: Code(system: ZibCodeSystem.snomed, code: "10904000", display: "Orthostatic body position")
        case .lying: Code(system: ZibCodeSystem.snomed, code: "102538003", display: "Recumbent body position")
        }
    }

    /// Dutch text shown with the code.
    public var dutchText: String {
        switch self {
        case .sitting: "Zittend"
        case .standing: "Staand"
        case .lying: "Liggend"
        }
    }
}

/// zib Bloeddruk: systolic and diastolic pressure in mm[Hg], optionally the position.
public struct Bloeddruk: ZibValue, Hashable {
    public static let zibName = "Bloeddruk"
    public var source: EntrySource
    public var measuredAt: String
    /// Decimal text in mm[Hg].
    public var systolic: String
    /// Decimal text in mm[Hg].
    public var diastolic: String
    public var position: BodyPosition?
    public var comment: String?

    public init(source: EntrySource, measuredAt: String, systolic: String, diastolic: String, position: BodyPosition?, comment: String?) {
        self.source = source
        self.measuredAt = measuredAt
        self.systolic = systolic
        self.diastolic = diastolic
        self.position = position
        self.comment = comment
    }
}

/// A self-measurement with a single quantity (weight, height, heart rate, temperature, glucose, SpO2).
///
/// The conforming types differ only in their zib name and the units they accept; the STU3 renderer
/// supplies profile and LOINC code per type.
public protocol SingleQuantityMeasurement: ZibValue {
    /// UCUM units this measurement accepts; the first is the one implied when the export gives none,
    /// and only kinds with exactly one sensible unit may imply it (see ``impliedUnit``).
    static var acceptedUnits: [String] { get }
    var measuredAt: String { get }
    var quantity: MeasuredQuantity { get }
    var comment: String? { get }
    init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?)
}

extension SingleQuantityMeasurement {
    /// The unit to assume when the export leaves it out: only when a kind has a single possible unit,
    /// because guessing between e.g. mmol/L and mg/dL would be clinically dangerous.
    public static var impliedUnit: String? { acceptedUnits.count == 1 ? acceptedUnits.first : nil }
}

/// zib Lichaamsgewicht.
public struct Lichaamsgewicht: SingleQuantityMeasurement, Hashable {
    public static let zibName = "Lichaamsgewicht"
    public static let acceptedUnits = ["kg", "g"]
    public var source: EntrySource
    public var measuredAt: String
    public var quantity: MeasuredQuantity
    public var comment: String?

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?) {
        self.source = source
        self.measuredAt = measuredAt
        self.quantity = quantity
        self.comment = comment
    }
}

/// zib Lichaamslengte; the position (standing or lying) selects the more specific LOINC code.
public struct Lichaamslengte: SingleQuantityMeasurement, Hashable {
    public static let zibName = "Lichaamslengte"
    public static let acceptedUnits = ["cm", "m"]
    public var source: EntrySource
    public var measuredAt: String
    public var quantity: MeasuredQuantity
    public var comment: String?
    /// Only `standing` and `lying` are meaningful for height.
    public var position: BodyPosition?

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?) {
        self.init(source: source, measuredAt: measuredAt, quantity: quantity, comment: comment, position: nil)
    }

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?, position: BodyPosition?) {
        self.source = source
        self.measuredAt = measuredAt
        self.quantity = quantity
        self.comment = comment
        self.position = position
    }
}

/// zib Hartfrequentie.
public struct Hartfrequentie: SingleQuantityMeasurement, Hashable {
    public static let zibName = "Hartfrequentie"
    public static let acceptedUnits = ["/min"]
    public var source: EntrySource
    public var measuredAt: String
    public var quantity: MeasuredQuantity
    public var comment: String?

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?) {
        self.source = source
        self.measuredAt = measuredAt
        self.quantity = quantity
        self.comment = comment
    }
}

/// zib Lichaamstemperatuur.
public struct Lichaamstemperatuur: SingleQuantityMeasurement, Hashable {
    public static let zibName = "Lichaamstemperatuur"
    public static let acceptedUnits = ["Cel"]
    public var source: EntrySource
    public var measuredAt: String
    public var quantity: MeasuredQuantity
    public var comment: String?

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?) {
        self.source = source
        self.measuredAt = measuredAt
        self.quantity = quantity
        self.comment = comment
    }
}

/// Capillary blood glucose measured with a glucometer (MedMij Zelfmetingen; Nictiz vitalsign-bloodglucose).
public struct Bloedglucose: SingleQuantityMeasurement, Hashable {
    public static let zibName = "Bloedglucose"
    public static let acceptedUnits = ["mmol/L", "mg/dL"]
    public var source: EntrySource
    public var measuredAt: String
    public var quantity: MeasuredQuantity
    public var comment: String?

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?) {
        self.source = source
        self.measuredAt = measuredAt
        self.quantity = quantity
        self.comment = comment
    }
}

/// zib O2Saturatie (pulse oximetry).
public struct O2Saturatie: SingleQuantityMeasurement, Hashable {
    public static let zibName = "O2Saturatie"
    public static let acceptedUnits = ["%"]
    public var source: EntrySource
    public var measuredAt: String
    public var quantity: MeasuredQuantity
    public var comment: String?

    public init(source: EntrySource, measuredAt: String, quantity: MeasuredQuantity, comment: String?) {
        self.source = source
        self.measuredAt = measuredAt
        self.quantity = quantity
        self.comment = comment
    }
}
