/// zib AllergieIntolerantie (allergy or intolerance) to a substance.
///
/// ```swift
/// let allergy = result.values.compactMap { $0 as? AllergieIntolerantie }.first
/// allergy?.criticality      // .high
/// ```
public struct AllergieIntolerantie: ZibValue, Hashable {
    public static let zibName = "AllergieIntolerantie"
    public var source: EntrySource
    public var substance: Code
    /// `allergy` or `intolerance`, when the PZC says.
    public var kind: Kind?
    public var category: Categorie?
    public var criticality: Kritiek?
    public var status: Status
    public var reactions: [Reactie]
    public var onset: String?
    public var recorder: String?

    public enum Kind: String, Sendable, Hashable, CaseIterable { case allergy, intolerance }

    /// AllergieCategorieCodelijst.
    public enum Categorie: String, Sendable, Hashable, CaseIterable {
        case food, medication, environment, biologic

        public var zibCode: Code {
            switch self {
            case .food: Code(system: ZibCodeSystem.snomed, code: "418471000", display: "Voeding")
            case .medication: Code(system: ZibCodeSystem.snomed, code: "419511003", display: "Medicijn")
            case .environment: Code(system: ZibCodeSystem.snomed, code: "426232007", display: "Omgeving")
            case .biologic: Code(system: ZibCodeSystem.snomed, code: "419199007", display: "Stof of product")
            }
        }
    }

    /// MateVanKritiekZijnCodelijst; `unableToAssess` has no zib code.
    public enum Kritiek: String, Sendable, Hashable, CaseIterable {
        case low, high, unableToAssess = "unable-to-assess"

        public var zibCode: Code? {
            switch self {
            case .low: Code(system: ZibCodeSystem.snomed, code: "255604002", display: "Licht")
            case .high: Code(system: ZibCodeSystem.snomed, code: "24484000", display: "Ernstig")
            case .unableToAssess: nil
            }
        }
    }

    /// AllergieStatusCodelijst (HL7 v3 ActStatus).
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active, inactive, resolved

        public var zibCode: Code {
            switch self {
            case .active: Code(system: ZibCodeSystem.actStatus, code: "active", display: "Actief")
            case .inactive: Code(system: ZibCodeSystem.actStatus, code: "obsolete", display: "Achterhaald")
            case .resolved: Code(system: ZibCodeSystem.actStatus, code: "completed", display: "Niet meer aanwezig")
            }
        }
    }

    /// ErnstCodelijst.
    public enum Ernst: String, Sendable, Hashable, CaseIterable {
        case mild, moderate, severe

        public var zibCode: Code {
            switch self {
            case .mild: Code(system: ZibCodeSystem.snomed, code: "255604002", display: "Licht")
            case .moderate: Code(system: ZibCodeSystem.snomed, code: "6736007", display: "Matig")
            case .severe: Code(system: ZibCodeSystem.snomed, code: "24484000", display: "Ernstig")
            }
        }
    }

    /// One reaction (zib Reactie): the symptom and how severe it was.
    public struct Reactie: Sendable, Hashable {
        public var manifestation: Code
        public var severity: Ernst?
        public var description: String?

        public init(manifestation: Code, severity: Ernst?, description: String?) {
            self.manifestation = manifestation
            self.severity = severity
            self.description = description
        }
    }

    public init(
        source: EntrySource, substance: Code, kind: Kind?, category: Categorie?, criticality: Kritiek?, status: Status,
        reactions: [Reactie], onset: String?, recorder: String?
    ) {
        self.source = source
        self.substance = substance
        self.kind = kind
        self.category = category
        self.criticality = criticality
        self.status = status
        self.reactions = reactions
        self.onset = onset
        self.recorder = recorder
    }
}
