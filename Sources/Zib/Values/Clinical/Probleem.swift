/// zib Probleem (problem): a diagnosis, complaint, symptom, finding or functional limitation.
///
/// A problem always has a name: a code, a text, or both (text alone is valid for zib2017).
///
/// ```swift
/// let problem = result.values.compactMap { $0 as? Probleem }.first
/// problem?.status            // .active
/// problem?.type?.code.code   // "282291009" (diagnose)
/// ```
public struct Probleem: ZibValue, Hashable {
    public static let zibName = "Probleem"
    public var source: EntrySource
    public var name: ProblemName
    /// ProbleemTypeCodelijst concept; nil when the PZC type is not one the zib knows.
    public var type: CodedText?
    public var status: Status
    public var verification: Verificatie?
    public var onset: String?
    /// When the problem ended, as recorded, even on a problem still marked active; whether a FHIR
    /// version can show that is its renderer's decision.
    public var resolved: String?
    /// Member id (or `patient`) of whoever recorded it, checked to exist.
    public var asserter: String?

    /// ProbleemStatusCodelijst.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active, inactive

        public var zibCode: Code {
            switch self {
            case .active: Code(system: ZibCodeSystem.snomed, code: "55561003", display: "Actueel")
            case .inactive: Code(system: ZibCodeSystem.snomed, code: "73425007", display: "Niet actueel")
            }
        }
    }

    /// VerificatieStatusCodelijst.
    public enum Verificatie: String, Sendable, Hashable, CaseIterable {
        case provisional, differential, confirmed, refuted, unknown

        public var zibCode: Code {
            switch self {
            case .provisional: Code(system: ZibCodeSystem.snomed, code: "415684004", display: "Werk")
            case .differential: Code(system: ZibCodeSystem.snomed, code: "410590009", display: "Differentiaal")
            case .confirmed: Code(system: ZibCodeSystem.snomed, code: "410605003", display: "Bevestigd")
            case .refuted: Code(system: ZibCodeSystem.snomed, code: "410516002", display: "Uitgesloten")
            case .unknown: Code(system: ZibCodeSystem.nullFlavor, code: "UNK", display: "Onbekend")
            }
        }
    }

    public init(
        source: EntrySource, name: ProblemName, type: CodedText?, status: Status, verification: Verificatie?,
        onset: String?, resolved: String?, asserter: String?
    ) {
        self.source = source
        self.name = name
        self.type = type
        self.status = status
        self.verification = verification
        self.onset = onset
        self.resolved = resolved
        self.asserter = asserter
    }
}

/// What a problem is called: coded (ProbleemNaamCodelijst), as text, or both. Never neither.
public enum ProblemName: Sendable, Hashable {
    case coded(Code, text: String?)
    case text(String)

    /// The name people read.
    public var text: String {
        switch self {
        case .coded(let code, let text): text ?? code.display
        case .text(let text): text
        }
    }
}
