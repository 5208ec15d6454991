/// zib Patient: the person who owns the PZC, with the zib Contactpersoon entries (contact persons)
/// and the member who is their GP.
///
/// ```swift
/// let result = PZCMapper.map(export)
/// let patient = result.values.compactMap { $0 as? Patient }.first
/// patient?.gender        // .female
/// ```
public struct Patient: ZibValue, Hashable {
    public static let zibName = "Patient"
    public var source: EntrySource
    public var name: PersonName
    public var birthDate: String
    public var gender: Geslacht
    /// Burgerservicenummer. Kept in the stored rendering; masking for PGO apps happens when serving.
    public var bsn: String?
    public var address: Address?
    public var telecom: [Telecom]
    public var contacts: [Contactpersoon]
    /// Member id of the GP, already checked to be a professional member.
    public var generalPractitioner: String?
    public var maritalStatus: BurgerlijkeStaat?

    public init(
        source: EntrySource, name: PersonName, birthDate: String, gender: Geslacht, bsn: String? = nil,
        address: Address? = nil, telecom: [Telecom] = [], contacts: [Contactpersoon] = [],
        generalPractitioner: String? = nil, maritalStatus: BurgerlijkeStaat? = nil
    ) {
        self.source = source
        self.name = name
        self.birthDate = birthDate
        self.gender = gender
        self.bsn = bsn
        self.address = address
        self.telecom = telecom
        self.contacts = contacts
        self.generalPractitioner = generalPractitioner
        self.maritalStatus = maritalStatus
    }
}

/// zib GeslachtCodelijst (administrative sex).
public enum Geslacht: String, Sendable, Hashable, CaseIterable {
    case male, female, other, unknown

    /// The zib code (GeslachtCodelijst).
    public var zibCode: Code {
        switch self {
        case .male: Code(system: ZibCodeSystem.administrativeGender, code: "M", display: "Man")
        case .female: Code(system: ZibCodeSystem.administrativeGender, code: "F", display: "Vrouw")
        case .other: Code(system: ZibCodeSystem.administrativeGender, code: "UN", display: "Ongedifferentieerd")
        case .unknown: Code(system: ZibCodeSystem.nullFlavor, code: "UNK", display: "Onbekend")
        }
    }
}

/// zib BurgerlijkeStaatCodelijst (marital status), HL7 v3 MaritalStatus codes.
public enum BurgerlijkeStaat: String, Sendable, Hashable, CaseIterable {
    case divorced = "D", married = "M", neverMarried = "S", domesticPartner = "T", widowed = "W"

    public var zibCode: Code {
        let display = switch self {
        case .divorced: "Gescheiden"
        case .married: "Gehuwd"
        case .neverMarried: "Nooit gehuwd geweest"
        case .domesticPartner: "Geregistreerd partnerschap"
        case .widowed: "Weduwe/weduwnaar"
        }
        return Code(system: ZibCodeSystem.maritalStatus, code: rawValue, display: display)
    }
}
