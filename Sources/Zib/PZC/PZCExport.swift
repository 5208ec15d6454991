/// One personal care community (PZC, *persoonlijk zorgnet*) as exported: the patient who owns it, its
/// members, and everything they wrote in it. The format is documented in `Fixtures/pzc/README.md`.
///
/// Every entry has a stable `id`, an `author` (a member id, or `"patient"`) and timestamps, so an import
/// can tell a new entry from a changed one.
///
/// ```swift
/// let export = try PZCExport.decode(from: bytes)
/// export.patient.name.family         // "Dekker"
/// export.dossier.problems.count      // 3
/// ```
public struct PZCExport: Sendable, Hashable, Codable {
    /// The format marker; this version reads `zorgnet-pzc/1`.
    public var format: String
    public var pzc: Community
    public var patient: PatientRecord
    public var members: [Member]
    public var diary: [DiaryEntry]
    public var consultations: [ConsultationThread]
    public var dossier: Dossier
    public var files: [FileEntry]
    public var forms: [Form]
    public var filledForms: [FilledForm]
    public var measurements: [Measurement]

    public static let currentFormat = "zorgnet-pzc/1"

    /// Sections left out of an export are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        pzc = try container.decode(Community.self, forKey: .pzc)
        patient = try container.decode(PatientRecord.self, forKey: .patient)
        members = try container.decodeIfPresent([Member].self, forKey: .members) ?? []
        diary = try container.decodeIfPresent([DiaryEntry].self, forKey: .diary) ?? []
        consultations = try container.decodeIfPresent([ConsultationThread].self, forKey: .consultations) ?? []
        dossier = try container.decodeIfPresent(Dossier.self, forKey: .dossier) ?? Dossier()
        files = try container.decodeIfPresent([FileEntry].self, forKey: .files) ?? []
        forms = try container.decodeIfPresent([Form].self, forKey: .forms) ?? []
        filledForms = try container.decodeIfPresent([FilledForm].self, forKey: .filledForms) ?? []
        measurements = try container.decodeIfPresent([Measurement].self, forKey: .measurements) ?? []
    }

    public struct Community: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public var createdAt: String
        /// The member who manages the PZC on the patient's behalf (a parent for a child), if not the patient.
        public var managedBy: String?
    }
}

/// The patient who owns the PZC (zib Patient, ContactPerson, Payer).
public struct PatientRecord: Sendable, Hashable, Codable {
    public var name: PersonName
    public var birthDate: String
    /// `male`, `female`, `other` or `unknown`.
    public var gender: String
    /// Burgerservicenummer, the Dutch citizen service number. Used to match pushed records; never shown to PGO apps.
    public var bsn: String?
    public var address: Address?
    public var telecom: [Telecom]?
    /// Contact persons (zib Contactpersoon): member ids with their relationship to the patient.
    public var contactPersons: [ContactPerson]?
    /// The member id of the patient's GP.
    public var generalPractitioner: String?
    public var payer: Payer?
    public var maritalStatus: String?
}

public struct PersonName: Sendable, Hashable, Codable {
    public var given: [String]?
    public var initials: String?
    /// Voorvoegsel of the own surname, e.g. `van der`.
    public var prefix: String?
    public var family: String
    public var partnerPrefix: String?
    public var partnerFamily: String?
    /// Naamgebruik: `own` (default), `partner`, `partner-own`, `own-partner`.
    public var usage: String?
}

public struct Address: Sendable, Hashable, Codable {
    public var street: String
    public var houseNumber: String
    public var houseNumberSuffix: String?
    public var postalCode: String
    public var city: String
    public var country: String?
}

public struct Telecom: Sendable, Hashable, Codable {
    /// `phone` or `email`.
    public var system: String
    public var value: String
    /// `home`, `work` or `mobile`.
    public var use: String?
}

public struct ContactPerson: Sendable, Hashable, Codable {
    public var member: String
    /// RolCodelijst-style role: `first-contact`, `second-contact`, `legal-representative`, `carer`, …
    public var role: String?
    /// Relationship to the patient: `partner`, `child`, `parent`, `sibling`, `friend`, `neighbour`, …
    public var relationship: String
}

public struct Payer: Sendable, Hashable, Codable {
    public var insurerName: String
    /// UZOVI number of the health insurer.
    public var uzovi: String
    public var policyNumber: String
    /// `basis` (basisverzekering) or `aanvullend`.
    public var insuranceType: String
    public var start: String?
    public var end: String?
}

/// A member of the PZC: a professional (with their organisation) or a family member or friend.
public struct Member: Sendable, Hashable, Codable {
    public var id: String
    /// `professional`, `family` or `friend`.
    public var kind: String
    public var name: PersonName
    public var telecom: [Telecom]?
    /// For professionals: what they are in this care team, e.g. `huisarts`, `neuroloog`, `verpleegkundige`.
    public var role: String?
    public var uzi: String?
    public var agb: String?
    public var big: String?
    /// For professionals: specialty as a code, e.g. an UZI role code or AGB specialism.
    public var specialty: Code?
    public var organization: Organization?
    /// For family and friends: relationship to the patient (`partner`, `child`, `parent`, …).
    public var relationship: String?
}

public struct Organization: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var ura: String?
    public var agb: String?
    /// Organisation type (RoleCodeNL), e.g. `Z3` huisartspraktijk, `V4` ziekenhuis.
    public var type: Code?
    public var address: Address?
}

/// A code as written by a professional: full code-system URI, code and display text.
public struct Code: Sendable, Hashable, Codable {
    public var system: String
    public var code: String
    public var display: String
}

/// Metadata every entry carries.
public protocol PZCEntry: Sendable {
    var id: String { get }
    var author: String { get }
    var createdAt: String { get }
}
