/// zib Vaccinatie (vaccination) given to the patient.
///
/// ```swift
/// let vaccination = result.values.compactMap { $0 as? Vaccinatie }.first
/// vaccination?.date      // "2025-10-20"
/// ```
public struct Vaccinatie: ZibValue, Hashable {
    public static let zibName = "Vaccinatie"
    public var source: EntrySource
    public var vaccine: Code
    public var date: String
    /// The dose as written (e.g. `0,5 ml`); kept as a note since the PZC does not structure it.
    public var dose: String?
    /// Professional member who gave it, checked to exist.
    public var administeredBy: String?

    public init(source: EntrySource, vaccine: Code, date: String, dose: String?, administeredBy: String?) {
        self.source = source
        self.vaccine = vaccine
        self.date = date
        self.dose = dose
        self.administeredBy = administeredBy
    }
}
