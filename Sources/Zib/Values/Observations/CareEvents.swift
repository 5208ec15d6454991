/// zib MedischHulpmiddel: a device the patient uses (hearing aid, insulin pump, …) and since when.
///
/// ```swift
/// let aid = MedischHulpmiddel(source: source, productType: hearingAid, start: "2019-04-01", end: nil,
///                             bodySite: nil, comment: nil)
/// ```
public struct MedischHulpmiddel: ZibValue, Hashable {
    public static let zibName = "MedischHulpmiddel"
    public var source: EntrySource
    /// ProductType (SNOMED CT).
    public var productType: Code
    public var start: String?
    public var end: String?
    public var bodySite: Code?
    public var comment: String?

    public init(source: EntrySource, productType: Code, start: String?, end: String?, bodySite: Code?, comment: String?) {
        self.source = source
        self.productType = productType
        self.start = start
        self.end = end
        self.bodySite = bodySite
        self.comment = comment
    }
}

/// zib Contact: an encounter with care, e.g. an admission (`IMP`).
public struct Contact: ZibValue, Hashable {
    public static let zibName = "Contact"
    public var source: EntrySource
    public var contactType: ContactType
    public var start: String
    public var end: String?
    /// The organisation where the contact took place: known from a member, or only by name.
    public var organization: OrganizationMention?
    public var reason: String?

    /// ContactTypeCodelijst (HL7 v3 ActCode) plus the inpatient specialisations the BgZ asks for.
    public enum ContactType: String, Sendable, Hashable, CaseIterable {
        case ambulatory = "AMB", emergency = "EMER", field = "FLD", homeHealth = "HH", inpatient = "IMP"
        case inpatientAcute = "ACUTE", inpatientNonAcute = "NONAC", shortStay = "SS", virtual = "VR"

        public var display: String {
            switch self {
            case .ambulatory: "ambulatory"
            case .emergency: "emergency"
            case .field: "field"
            case .homeHealth: "home health"
            case .inpatient: "inpatient encounter"
            case .inpatientAcute: "inpatient acute"
            case .inpatientNonAcute: "inpatient non-acute"
            case .shortStay: "short stay"
            case .virtual: "virtual"
            }
        }
    }

    public init(source: EntrySource, contactType: ContactType, start: String, end: String?, organization: OrganizationMention?, reason: String?) {
        self.source = source
        self.contactType = contactType
        self.start = start
        self.end = end
        self.organization = organization
        self.reason = reason
    }
}

/// An organisation named by an entry: one of the members' organisations (rendered as a resolvable
/// reference) or only a name the PZC knows nothing else about (rendered as a display-only reference).
public enum OrganizationMention: Sendable, Hashable {
    case known(Organization)
    case named(String)
}

/// zib Verrichting: a procedure the patient underwent.
public struct Verrichting: ZibValue, Hashable {
    public static let zibName = "Verrichting"
    public var source: EntrySource
    public var procedure: Code
    /// Procedure category as the PZC codes it (SNOMED CT). The BgZ selects surgical procedures by
    /// ``surgicalCategory``; nothing is inferred from the procedure's name.
    public var category: Code
    public var start: String
    public var end: String?
    public var bodySite: Code?
    /// Member id of the professional who performed it.
    public var performer: String?
    /// The problem the procedure was for, rendered as `reasonReference` to its Condition.
    public var reason: ProblemMention?

    /// SNOMED CT 387713003, the category MedMij's BgZ query #23 asks for.
    public static let surgicalCategory = Code(system: ZibCodeSystem.snomed, code: "387713003", display: "Surgical procedure")

    public init(source: EntrySource, procedure: Code, category: Code, start: String, end: String?, bodySite: Code?, performer: String?, reason: ProblemMention?) {
        self.source = source
        self.procedure = procedure
        self.category = category
        self.start = start
        self.end = end
        self.bodySite = bodySite
        self.performer = performer
        self.reason = reason
    }
}

/// A problem entry another entry points to: its entry id (the Condition's id comes from it) and how it reads.
public struct ProblemMention: Sendable, Hashable {
    public var entryID: String
    public var display: String

    public init(entryID: String, display: String) {
        self.entryID = entryID
        self.display = display
    }
}

/// zib Voedingsadvies: a diet advice with its description.
public struct Voedingsadvies: ZibValue, Hashable {
    public static let zibName = "Voedingsadvies"
    public var source: EntrySource
    /// DieetType, if coded.
    public var diet: Code?
    public var description: String
    public var start: String?
    public var end: String?

    public init(source: EntrySource, diet: Code?, description: String, start: String?, end: String?) {
        self.source = source
        self.diet = diet
        self.description = description
        self.start = start
        self.end = end
    }
}
