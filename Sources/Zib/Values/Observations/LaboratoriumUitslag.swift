/// zib LaboratoriumUitslag: one laboratory test result with its LOINC test code.
///
/// ```swift
/// let result = LaboratoriumUitslag(source: source, test: hba1c, resultType: chemistry,
///                                  result: .quantity(MeasuredQuantity(value: "53", unit: "mmol/mol")),
///                                  referenceRange: "< 53", interpretation: .normal,
///                                  effective: "2026-09-30T08:00:00+02:00", specimen: nil)
/// result.status.zibCode.code   // "final" (ResultaatStatusCodelijst)
/// ```
public struct LaboratoriumUitslag: ZibValue, Hashable {
    public static let zibName = "LaboratoriumUitslag"
    public var source: EntrySource
    /// TestCode (LOINC).
    public var test: Code
    /// ResultaatType (SNOMED CT), e.g. 275711006 chemistry; the BgZ query selects on it.
    public var resultType: Code?
    /// Nil for a panel that only groups other results.
    public var result: Result?
    /// The reference range as the lab wrote it.
    public var referenceRange: String?
    public var interpretation: Interpretation?
    public var effective: String
    /// Specimen material (SNOMED CT), rendered as a Specimen resource.
    public var specimen: Code?
    /// TestUitslagStatus; a result shared in the PZC is final unless the export says otherwise.
    public var status: ResultaatStatus
    /// For a panel (zib LaboratoriumTest parts, or STU3's has-member): the results it groups.
    public var members: [Member]

    /// A result grouped by a panel, by its entry and test name.
    public struct Member: Sendable, Hashable {
        public var entryID: String
        public var display: String

        public init(entryID: String, display: String) {
            self.entryID = entryID
            self.display = display
        }
    }

    /// zib ResultaatStatusCodelijst. FHIR requires its own `Observation.status`; the zib code travels
    /// alongside it, so each renderer maps it to its version's status (see the STU3 renderer).
    public enum ResultaatStatus: String, Sendable, Hashable, CaseIterable {
        case pending, preliminary, final, appended, corrected

        public var zibCode: Code {
            let display = switch self {
            case .pending: "Uitslag volgt"
            case .preliminary: "Voorlopig"
            case .final: "Definitief"
            case .appended: "Aanvullend"
            case .corrected: "Gecorrigeerd"
            }
            return Code(system: ZibCodeSystem.resultStatus, code: rawValue, display: display)
        }
    }

    /// A numeric result with unit, or a textual result ("negatief", "> 90").
    public enum Result: Sendable, Hashable {
        case quantity(MeasuredQuantity)
        case text(String)
    }

    /// Interpretation flags: HL7 v2 table 0078 with the zib's InterpretatieVlaggenCodelijst (SNOMED CT).
    public enum Interpretation: String, Sendable, Hashable, CaseIterable {
        case normal, high, low, abnormal

        public var hl7: Code {
            switch self {
            case .normal: Code(system: ZibCodeSystem.interpretationFlags, code: "N", display: "Normal")
            case .high: Code(system: ZibCodeSystem.interpretationFlags, code: "H", display: "High")
            case .low: Code(system: ZibCodeSystem.interpretationFlags, code: "L", display: "Low")
            case .abnormal: Code(system: ZibCodeSystem.interpretationFlags, code: "A", display: "Abnormal")
            }
        }

        /// The zib flag for the same meaning; nil for `normal`, which the zib list has no flag for.
        public var zibFlag: Code? {
            switch self {
            case .normal: nil
            case .high: Code(system: ZibCodeSystem.snomed, code: "281302008", display: "Above reference range")
            case .low: Code(system: ZibCodeSystem.snomed, code: "281300000", display: "Below reference range")
            case .abnormal: Code(system: ZibCodeSystem.snomed, code: "263654008", display: "Abnormal")
            }
        }

        public var dutchText: String {
            switch self {
            case .normal: "Normaal"
            case .high: "Hoog"
            case .low: "Laag"
            case .abnormal: "Afwijkend"
            }
        }
    }

    public init(
        source: EntrySource, test: Code, resultType: Code?, result: Result?, referenceRange: String?, interpretation: Interpretation?,
        effective: String, specimen: Code?, status: ResultaatStatus = .final, members: [Member] = []
    ) {
        self.source = source
        self.test = test
        self.resultType = resultType
        self.result = result
        self.referenceRange = referenceRange
        self.interpretation = interpretation
        self.effective = effective
        self.specimen = specimen
        self.status = status
        self.members = members
    }
}
