/// The dossier (the PZC's wiki): free pages with revisions, and the structured sections members keep.
/// Each structured section maps to a zib.
public struct Dossier: Sendable, Hashable, Codable {
    public var pages: [DossierPage]
    public var problems: [ProblemEntry]
    public var allergies: [AllergyEntry]
    public var medicationUse: [MedicationUseEntry]
    public var vaccinations: [VaccinationEntry]
    public var alerts: [AlertEntry]
    public var advanceDirectives: [DirectiveEntry]
    public var treatmentDirectives: [DirectiveEntry]
    public var livingSituation: [CodedObservationEntry]
    public var tobaccoUse: [CodedObservationEntry]
    public var alcoholUse: [CodedObservationEntry]
    public var drugUse: [CodedObservationEntry]
    public var functionalStatus: [CodedObservationEntry]
    public var medicalDevices: [MedicalDeviceEntry]
    public var encounters: [EncounterEntry]
    public var procedures: [ProcedureEntry]
    public var labResults: [LabResultEntry]
    public var nutritionAdvice: [NutritionAdviceEntry]

    /// Sections left out of an export are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pages = try c.decodeIfPresent([DossierPage].self, forKey: .pages) ?? []
        problems = try c.decodeIfPresent([ProblemEntry].self, forKey: .problems) ?? []
        allergies = try c.decodeIfPresent([AllergyEntry].self, forKey: .allergies) ?? []
        medicationUse = try c.decodeIfPresent([MedicationUseEntry].self, forKey: .medicationUse) ?? []
        vaccinations = try c.decodeIfPresent([VaccinationEntry].self, forKey: .vaccinations) ?? []
        alerts = try c.decodeIfPresent([AlertEntry].self, forKey: .alerts) ?? []
        advanceDirectives = try c.decodeIfPresent([DirectiveEntry].self, forKey: .advanceDirectives) ?? []
        treatmentDirectives = try c.decodeIfPresent([DirectiveEntry].self, forKey: .treatmentDirectives) ?? []
        livingSituation = try c.decodeIfPresent([CodedObservationEntry].self, forKey: .livingSituation) ?? []
        tobaccoUse = try c.decodeIfPresent([CodedObservationEntry].self, forKey: .tobaccoUse) ?? []
        alcoholUse = try c.decodeIfPresent([CodedObservationEntry].self, forKey: .alcoholUse) ?? []
        drugUse = try c.decodeIfPresent([CodedObservationEntry].self, forKey: .drugUse) ?? []
        functionalStatus = try c.decodeIfPresent([CodedObservationEntry].self, forKey: .functionalStatus) ?? []
        medicalDevices = try c.decodeIfPresent([MedicalDeviceEntry].self, forKey: .medicalDevices) ?? []
        encounters = try c.decodeIfPresent([EncounterEntry].self, forKey: .encounters) ?? []
        procedures = try c.decodeIfPresent([ProcedureEntry].self, forKey: .procedures) ?? []
        labResults = try c.decodeIfPresent([LabResultEntry].self, forKey: .labResults) ?? []
        nutritionAdvice = try c.decodeIfPresent([NutritionAdviceEntry].self, forKey: .nutritionAdvice) ?? []
    }

    /// An empty dossier.
    public init() {
        pages = []
        problems = []
        allergies = []
        medicationUse = []
        vaccinations = []
        alerts = []
        advanceDirectives = []
        treatmentDirectives = []
        livingSituation = []
        tobaccoUse = []
        alcoholUse = []
        drugUse = []
        functionalStatus = []
        medicalDevices = []
        encounters = []
        procedures = []
        labResults = []
        nutritionAdvice = []
    }
}

/// A wiki page; every revision keeps its author.
public struct DossierPage: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var revisions: [Revision]

    public struct Revision: Sendable, Hashable, Codable {
        public var revision: Int
        public var author: String
        public var createdAt: String
        public var text: String
    }
}

public struct ProblemEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var updatedAt: String?
    public var code: Code?
    public var text: String?
    /// `diagnosis`, `complaint`, `symptom`, `finding`, `functional-limitation`.
    public var type: String
    /// `active` or `inactive`.
    public var status: String
    /// `confirmed`, `provisional`, `refuted`, `unknown`.
    public var verification: String?
    public var onset: String?
    public var resolved: String?
}

public struct AllergyEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var substance: Code
    /// `allergy` or `intolerance` … as in zib AllergieIntolerantie: `food`, `medication`, `environment`.
    public var category: String?
    /// `low`, `high`, `unable-to-assess`.
    public var criticality: String?
    /// `active`, `inactive`, `resolved`.
    public var status: String
    public var reactions: [Reaction]?
    public var onset: String?

    public struct Reaction: Sendable, Hashable, Codable {
        public var manifestation: Code
        /// `mild`, `moderate`, `severe`.
        public var severity: String?
        public var description: String?
    }
}

public struct MedicationUseEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// The product: a G-Standaard or ATC code, or only a name for what has no code.
    public var product: Code?
    public var productName: String
    public var dosage: String
    public var start: String?
    public var end: String?
    /// Whether the patient uses it as agreed with the prescriber.
    public var asAgreed: Bool?
    /// Member id of the prescriber, if known.
    public var prescriber: String?
    public var reason: String?
}

public struct VaccinationEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var vaccine: Code
    public var date: String
    public var dose: String?
    public var administeredBy: String?
    /// `completed` (the default: the vaccination was given) or `entered-in-error` (the entry was a
    /// mistake, kept so that readers see it was withdrawn).
    public var status: String?
}

public struct AlertEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var alert: Code
    /// `active` or `inactive`.
    public var status: String
    /// Id of the problem or allergy entry the alert is about.
    public var concern: String?
    public var comment: String?
}

/// An advance directive (wilsverklaring) or treatment directive (behandelaanwijzing).
public struct DirectiveEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// For advance directives the WilsverklaringType (e.g. `NR` niet reanimeren); for treatment
    /// directives the treatment (e.g. SNOMED reanimatie) as a code.
    public var type: Code
    /// For treatment directives: whether the treatment is permitted (`yes`, `no`, `yes-with-conditions`).
    public var permitted: String?
    public var date: String
    public var comment: String?
    /// Id of a file entry holding the signed document, if any.
    public var document: String?
}

/// An observation coded by a professional: living situation, tobacco/alcohol/drug use, functional or
/// mental status.
public struct CodedObservationEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// For functional or mental status only: what is assessed (StatusNaam, e.g. ICF `d450` Lopen);
    /// `value` is then the finding (StatusWaarde, e.g. ICF `d450.2`), from the same code system.
    public var name: Code?
    public var value: Code
    public var date: String
    /// Amount as free text (drug use) or as a number with UCUM unit (alcohol units/week, pack years).
    public var amount: String?
    public var amountUnit: String?
    public var start: String?
    public var end: String?
    public var comment: String?
    /// For functional or mental status: `functional` or `mental`.
    public var category: String?
}

public struct MedicalDeviceEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var productType: Code
    public var start: String?
    public var end: String?
    public var bodySite: Code?
    public var comment: String?
}

public struct EncounterEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// ContactType: `IMP` (admission), `AMB`, `EMER`, `HH`, `VR`, …
    public var encounterClass: String
    public var start: String
    public var end: String?
    public var organization: String?
    public var reason: String?
}

public struct ProcedureEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var procedure: Code
    /// Procedure.category (SNOMED CT), e.g. `387713003` surgical procedure, which the BgZ surgical
    /// query selects on. Required in practice: the mapper refuses a procedure without it.
    public var category: Code?
    public var start: String
    public var end: String?
    public var bodySite: Code?
    public var performer: String?
    /// Id of the problem entry the procedure was for.
    public var reason: String?
}

public struct LabResultEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    /// LOINC test code.
    public var test: Code
    /// ResultaatType (SNOMED), e.g. 275711006 chemistry.
    public var resultType: Code?
    /// The result as written; left out by a panel that only groups other results (`members`).
    public var value: String?
    public var unit: String?
    public var referenceRange: String?
    /// `normal`, `high`, `low`, `abnormal`.
    public var interpretation: String?
    public var effective: String
    public var specimen: Code?
    /// ResultaatStatus: `pending`, `preliminary`, `final` (the default), `appended`, `corrected`.
    public var status: String?
    /// For a panel (e.g. renal function): the ids of the lab result entries it groups.
    public var members: [String]?
}

public struct NutritionAdviceEntry: PZCEntry, Hashable, Codable {
    public var id: String
    public var author: String
    public var createdAt: String
    public var diet: Code?
    public var description: String
    public var start: String?
    public var end: String?
}
