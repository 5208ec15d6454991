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
    /// Whether the record stands or was withdrawn as a mistake.
    public var status: Status

    /// The state of the record. zib Vaccinatie itself only describes given vaccinations; a withdrawn
    /// entry is kept (not deleted) so readers who saw it learn that it no longer holds.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case completed
        case enteredInError = "entered-in-error"
    }

    public init(source: EntrySource, vaccine: Code, date: String, dose: String?, administeredBy: String?, status: Status = .completed) {
        self.source = source
        self.vaccine = vaccine
        self.date = date
        self.dose = dose
        self.administeredBy = administeredBy
        self.status = status
    }
}
